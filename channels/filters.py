"""FilterSets of the channels app."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db import models

from channels.models import (
    Address,
    CargoCompany,
    City,
    Country,
    Customer,
    District,
    IntegrationMapping,
    IntegrationType,
    RetailStore,
    ShippingCompany,
    Township,
)
from omnitron.filters import (
    CharInFilter,
    FilterSet,
    IdFilter,
    IntegerFilter,
    NumberInFilter,
    StrictBooleanFilter,
    UpperExactFilter,
    UTCIsoDateTimeFilter,
)


class MappingFilterSet(FilterSet):
    """``mapping__code__exact`` and ``mapping__integration_type``: rows with an IntegrationMapping.

    Both parameters describe one mapping of the FilterSet's model, so they are applied together,
    once, as ``id IN (mapped object ids)``.
    """

    mapping__integration_type = django_filters.ChoiceFilter(
        choices=IntegrationType.choices, method="filter_mapping", label="Rows with a mapping of this integration type"
    )
    mapping__code__exact = django_filters.CharFilter(
        method="filter_mapping", label="Rows with a mapping of this code (exact)"
    )

    def filter_mapping(self, queryset, name, value):
        integration_type = self.form.cleaned_data.get("mapping__integration_type")
        if name == "mapping__code__exact" and integration_type:
            return queryset
        mappings = IntegrationMapping.objects.filter(content_type=ContentType.objects.get_for_model(queryset.model))
        code = self.form.cleaned_data.get("mapping__code__exact")
        if integration_type:
            mappings = mappings.filter(integration_type=integration_type)
        if code:
            mappings = mappings.filter(code=code)
        return queryset.filter(id__in=mappings.values("object_id"))


# Geography lists show active rows only, so ``is_active=false`` matches nothing. The lookups the
# clients send take text of any length: channel-app asks ``code__exact=<name>`` before
# ``name__exact=<name>`` and stops at the first error, so a value that cannot match answers empty.
class CountryFilter(MappingFilterSet):
    code = django_filters.CharFilter(lookup_expr="iexact", max_length=2, label="ISO code, any case")
    code__exact = django_filters.CharFilter(field_name="code", label="ISO code as stored (`tr`)")
    name = django_filters.CharFilter(max_length=100)
    name__exact = django_filters.CharFilter(field_name="name")
    is_active = StrictBooleanFilter()

    class Meta:
        model = Country
        fields: list[str] = []


class CityFilter(MappingFilterSet):
    country = IdFilter(field_name="country_id")
    name = django_filters.CharFilter(max_length=100)
    name__iexact = UpperExactFilter(field_name="name")
    is_active = StrictBooleanFilter()

    class Meta:
        model = City
        fields: list[str] = []


class TownshipFilter(MappingFilterSet):
    country = IdFilter(field_name="city__country_id", label="Townships of this country's cities")
    city = IdFilter(field_name="city_id")
    name = django_filters.CharFilter(max_length=100)
    name__iexact = UpperExactFilter(field_name="name")
    is_active = StrictBooleanFilter()

    class Meta:
        model = Township
        fields: list[str] = []


class DistrictFilter(MappingFilterSet):
    country = IdFilter(field_name="city__country_id", label="Districts of this country's cities")
    city = IdFilter(field_name="city_id")
    township = IdFilter(field_name="township_id")
    name = django_filters.CharFilter(max_length=100)
    name__exact = django_filters.CharFilter(field_name="name")
    is_active = StrictBooleanFilter()

    class Meta:
        model = District
        fields: list[str] = []


class CargoCompanyFilter(FilterSet):
    shipping_company = django_filters.ChoiceFilter(choices=ShippingCompany.choices)
    erp_code = django_filters.CharFilter(max_length=128)

    class Meta:
        model = CargoCompany
        fields: list[str] = []


# --- Customers and addresses (API.md 4.5) -------------------------------------------------------

DATE_LOOKUPS = ["gt", "gte", "lt", "lte"]
# Datetimes are read in UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
DATETIME_IN_UTC = {models.DateTimeField: {"filter_class": UTCIsoDateTimeFilter}}


class CustomerFilter(FilterSet):
    email__exact = django_filters.CharFilter(field_name="email")
    email__in = CharInFilter(field_name="email")
    phone_number__exact = django_filters.CharFilter(field_name="phone_number")
    phone_number__in = CharInFilter(field_name="phone_number")
    channel_code__exact = django_filters.CharFilter(field_name="channel_code")
    channel_code__in = CharInFilter(field_name="channel_code")
    is_active = StrictBooleanFilter()
    pk__in = NumberInFilter(field_name="pk")
    channel = IdFilter(field_name="channel_id", label="The channel's id (the path's channel; another matches nothing)")

    class Meta:
        model = Customer
        filter_overrides = DATETIME_IN_UTC
        fields = {
            "email": ["exact"],
            "phone_number": ["exact"],
            "channel_code": ["exact"],
            "erp_code": ["exact"],
            "created_date": DATE_LOOKUPS,
            "modified_date": DATE_LOOKUPS,
        }


class AddressFilter(FilterSet):
    hash_data__exact = django_filters.CharFilter(field_name="hash_data")
    hash_data__in = CharInFilter(field_name="hash_data")
    customer = IntegerFilter(field_name="customer_id")
    customer__exact = IntegerFilter(field_name="customer_id")
    customer__in = NumberInFilter(field_name="customer_id")
    is_active = StrictBooleanFilter()
    pk__in = NumberInFilter(field_name="pk")

    class Meta:
        model = Address
        filter_overrides = DATETIME_IN_UTC
        fields = {
            "hash_data": ["exact"],
            "email": ["exact"],
            "phone_number": ["exact"],
            "created_date": DATE_LOOKUPS,
            "modified_date": DATE_LOOKUPS,
        }


class RetailStoreFilter(django_filters.FilterSet):
    erp_code = django_filters.CharFilter(max_length=128, help_text="The store's ERP code (exact).")

    class Meta:
        model = RetailStore
        fields: list[str] = []


class ContentTypeFilter(django_filters.FilterSet):
    model = django_filters.CharFilter(max_length=100, help_text="The model name, e.g. `order`.")
    app_label = django_filters.CharFilter(max_length=100)

    class Meta:
        model = ContentType
        fields: list[str] = []
