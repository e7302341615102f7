"""Serializers of the channels app."""

from rest_framework import serializers

from channels.models import Address, CargoCompany, City, Country, Customer, District, Township
from omnitron.fields import JSONObjectField
from omnitron.serializers import IdRelatedField
from omnitron.unknown_input import UnknownFieldsMixin


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["pk", "name", "code", "is_active", "created_date", "modified_date"]


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["pk", "name", "country", "is_active", "created_date", "modified_date"]


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["pk", "name", "city", "is_active", "created_date", "modified_date"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["pk", "name", "city", "township", "postcode", "is_active", "created_date", "modified_date"]


class CargoCompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = CargoCompany
        fields = ["pk", "name", "erp_code", "shipping_company", "is_active", "created_date", "modified_date"]


# --- Customers and addresses (API.md 4.5) -------------------------------------------------------


class CustomerSerializer(UnknownFieldsMixin, serializers.ModelSerializer):
    """A customer of the channel in the URL (``channel`` comes from the URL, never from the body)."""

    pk = serializers.IntegerField(read_only=True)
    attributes = JSONObjectField(required=False)
    extra_field = JSONObjectField(required=False)

    class Meta:
        model = Customer
        fields = [
            "pk",
            "channel",
            "email",
            "first_name",
            "last_name",
            "phone_number",
            "channel_code",
            "erp_code",
            "is_active",
            "email_allowed",
            "sms_allowed",
            "call_allowed",
            "gender",
            "date_of_birth",
            "date_joined",
            "attributes",
            "extra_field",
            "created_date",
            "modified_date",
        ]
        read_only_fields = ["pk", "channel", "created_date", "modified_date"]
        # Uniqueness of channel_code is decided by the database (see channels.services).
        validators: list = []


class AddressSerializer(UnknownFieldsMixin, serializers.ModelSerializer):
    """A customer's address; geography as ids. ``hash_data`` identifies identical addresses."""

    pk = serializers.IntegerField(read_only=True)
    serializer_related_field = IdRelatedField
    customer = IdRelatedField(
        queryset=Customer.objects.none(), help_text="A customer of this channel; cannot change later."
    )
    extra_field = JSONObjectField(required=False)

    class Meta:
        model = Address
        fields = [
            "pk",
            "channel",
            "customer",
            "title",
            "email",
            "phone_number",
            "first_name",
            "last_name",
            "country",
            "city",
            "township",
            "district",
            "line",
            "postcode",
            "notes",
            "company_name",
            "tax_office",
            "tax_no",
            "e_bill_taxpayer",
            "identity_number",
            "is_active",
            "extra_field",
            "hash_data",
            "created_date",
            "modified_date",
        ]
        read_only_fields = ["pk", "channel", "hash_data", "created_date", "modified_date"]
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channel_id = self.context.get("channel_id")
        if channel_id is not None:
            self.fields["customer"].queryset = Customer.objects.filter(channel_id=channel_id)
        if self.instance is not None and not isinstance(self.instance, (list, tuple)):
            self.fields["customer"].required = False

    def validate_customer(self, customer: Customer) -> Customer:
        if isinstance(self.instance, Address) and customer.pk != self.instance.customer_id:
            raise serializers.ValidationError("An address cannot move to another customer.")
        return customer
