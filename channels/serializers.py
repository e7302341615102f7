"""Serializers of the channels app."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from channels.conf import public_conf
from channels.models import Address, CargoCompany, Channel, City, Country, Customer, District, RetailStore, Township
from omnitron.db import BIGINT_MAX
from omnitron.fields import JSONObjectField
from omnitron.serializers import IdRelatedField, client_id
from omnitron.unknown_input import UnknownFieldsMixin

CONF_PERMISSION = "channels.view_channel_conf"


class ChannelSerializer(serializers.ModelSerializer):
    """A sales channel. ``conf`` is complete only for holders of ``channels.view_channel_conf``
    (the channel's integration user); everyone else gets it without secret-looking keys."""

    pk = serializers.IntegerField(read_only=True)
    id = serializers.IntegerField(read_only=True)
    conf = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "pk",
            "id",
            "name",
            "channel_type",
            "is_active",
            "conf",
            "catalog",
            "category_tree",
            "schema",
            "created_date",
            "modified_date",
        ]
        read_only_fields = fields

    def get_conf(self, channel: Channel) -> dict:
        request = self.context.get("request")
        if request is not None and request.user.has_perm(CONF_PERMISSION):
            return channel.conf
        return public_conf(channel.conf)


class ChannelUpdateSerializer(UnknownFieldsMixin, serializers.Serializer):
    """PATCH body of a channel: what a channel app's setup writes."""

    category_tree = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX, help_text="Id of the category tree."
    )
    schema = JSONObjectField(required=False, help_text="Replaces the stored schema.")


class ActiveUserSerializer(serializers.ModelSerializer):
    pk = serializers.IntegerField(read_only=True)
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = get_user_model()
        fields = [
            "pk",
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields


class ContentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContentType
        fields = ["id", "app_label", "model"]
        read_only_fields = fields


class RetailStoreSerializer(serializers.ModelSerializer):
    pk = serializers.IntegerField(read_only=True)

    class Meta:
        model = RetailStore
        fields = [
            "pk",
            "name",
            "erp_code",
            "is_active",
            "country",
            "city",
            "township",
            "district",
            "address",
            "postcode",
            "phone_number",
            "fax_phone_number",
            "latitude",
            "longitude",
            "store_hours",
            "created_date",
            "modified_date",
        ]
        read_only_fields = fields


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


CHANNEL_HELP = "The channel of the URL; a body may send it back, another channel's id is refused (400)."


class ChannelOfTheURLMixin:
    """``channel`` comes from the URL; a body may send it back, but only as that channel."""

    def to_internal_value(self, data):
        channel_id = self.context.get("channel_id")
        if (
            isinstance(data, dict)
            and "channel" in data
            and channel_id is not None
            and client_id(data["channel"]) != channel_id
        ):
            raise serializers.ValidationError(
                {"channel": [f"Must be the channel of the URL ({channel_id}); got {str(data['channel'])[:30]}."]}
            )
        return super().to_internal_value(data)


class CustomerSerializer(ChannelOfTheURLMixin, UnknownFieldsMixin, serializers.ModelSerializer):
    """A customer of the channel in the URL (``channel`` comes from the URL)."""

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
        extra_kwargs = {"channel": {"help_text": CHANNEL_HELP}}
        # Uniqueness of channel_code is decided by the database (see channels.services).
        validators: list = []


class AddressSerializer(ChannelOfTheURLMixin, UnknownFieldsMixin, serializers.ModelSerializer):
    """A customer's address; geography as ids. ``hash_data`` identifies identical addresses."""

    pk = serializers.IntegerField(read_only=True)
    serializer_related_field = IdRelatedField
    customer = IdRelatedField(
        queryset=Customer.objects.none(), help_text="A customer of this channel; cannot change later."
    )
    extra_field = JSONObjectField(required=False)
    # channel-app sends ``"title": null`` for an address without a title (its AddressDto default).
    title = serializers.CharField(
        max_length=128, allow_blank=True, allow_null=True, required=False, help_text="Null is stored as blank."
    )

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
        extra_kwargs = {"channel": {"help_text": CHANNEL_HELP}}
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channel_id = self.context.get("channel_id")
        if channel_id is not None:
            self.fields["customer"].queryset = Customer.objects.filter(channel_id=channel_id)
        # Only the geography the channel's lookups show.
        for name, model in (("country", Country), ("city", City), ("township", Township), ("district", District)):
            self.fields[name].queryset = model.objects.filter(is_active=True)
        if self.instance is not None and not isinstance(self.instance, (list, tuple)):
            self.fields["customer"].required = False

    def validate_title(self, title: str | None) -> str:
        return title or ""

    def validate_customer(self, customer: Customer) -> Customer:
        if isinstance(self.instance, Address) and customer.pk != self.instance.customer_id:
            raise serializers.ValidationError("An address cannot move to another customer.")
        return customer
