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
    RetailStore,
    ShippingCompany,
    Township,
)
from omnitron.filters import (
    CharInFilter,
    IdFilter,
    IntegerFilter,
    NumberInFilter,
    StrictBooleanFilter,
    UTCIsoDateTimeFilter,
)


class CountryFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="iexact", max_length=2)
    name = django_filters.CharFilter(max_length=100)

    class Meta:
        model = Country
        fields: list[str] = []


class CityFilter(django_filters.FilterSet):
    country = IdFilter(field_name="country_id")
    name = django_filters.CharFilter(max_length=100)

    class Meta:
        model = City
        fields: list[str] = []


class TownshipFilter(django_filters.FilterSet):
    city = IdFilter(field_name="city_id")
    name = django_filters.CharFilter(max_length=100)

    class Meta:
        model = Township
        fields: list[str] = []


class DistrictFilter(django_filters.FilterSet):
    city = IdFilter(field_name="city_id")
    township = IdFilter(field_name="township_id")
    name = django_filters.CharFilter(max_length=100)

    class Meta:
        model = District
        fields: list[str] = []


class CargoCompanyFilter(django_filters.FilterSet):
    shipping_company = django_filters.ChoiceFilter(choices=ShippingCompany.choices)
    erp_code = django_filters.CharFilter(max_length=128)

    class Meta:
        model = CargoCompany
        fields: list[str] = []


# --- Customers and addresses (API.md 4.5) -------------------------------------------------------

DATE_LOOKUPS = ["gt", "gte", "lt", "lte"]
# Datetimes are read in UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
DATETIME_IN_UTC = {models.DateTimeField: {"filter_class": UTCIsoDateTimeFilter}}


class CustomerFilter(django_filters.FilterSet):
    email__exact = django_filters.CharFilter(field_name="email")
    email__in = CharInFilter(field_name="email")
    phone_number__exact = django_filters.CharFilter(field_name="phone_number")
    phone_number__in = CharInFilter(field_name="phone_number")
    channel_code__exact = django_filters.CharFilter(field_name="channel_code")
    channel_code__in = CharInFilter(field_name="channel_code")
    is_active = StrictBooleanFilter()
    pk__in = NumberInFilter(field_name="pk")

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


class AddressFilter(django_filters.FilterSet):
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
