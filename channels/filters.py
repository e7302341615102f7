"""FilterSets of the channels app."""

import django_filters

from channels.models import CargoCompany, City, Country, District, ShippingCompany, Township
from omnitron.filters import IdFilter


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
