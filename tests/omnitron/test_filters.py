"""Shared filters: integer ids and booleans answer 400 for values they cannot read."""

import django_filters
import pytest

from channels.models import Country
from omnitron.filters import IntegerFilter, NumberInFilter, StrictBooleanFilter

pytestmark = pytest.mark.django_db


class CountryFilter(django_filters.FilterSet):
    pk = IntegerFilter(field_name="pk")
    pk__in = NumberInFilter(field_name="pk")
    is_active = StrictBooleanFilter()

    class Meta:
        model = Country
        fields: list = []


@pytest.fixture
def countries():
    return [
        Country.objects.create(name="Turkey", code="tr"),
        Country.objects.create(name="Egypt", code="eg", is_active=False),
    ]


def run(query: dict):
    filterset = CountryFilter(query, queryset=Country.objects.order_by("id"))
    return filterset.is_valid(), filterset


@pytest.mark.parametrize(
    "query, field",
    [
        ({"pk": "99999999999999999999999"}, "pk"),
        ({"pk": "1.5"}, "pk"),
        ({"pk__in": "1,99999999999999999999999"}, "pk__in"),
        ({"pk__in": "1,x"}, "pk__in"),
        ({"is_active": "maybe"}, "is_active"),
    ],
)
def test_unreadable_values_are_errors_naming_the_parameter(countries, query, field):
    valid, filterset = run(query)
    assert not valid
    assert list(filterset.errors) == [field]


def test_readable_values_filter(countries):
    turkey, egypt = countries
    assert list(run({"pk__in": f"{turkey.pk},{egypt.pk}"})[1].qs) == [turkey, egypt]
    assert list(run({"pk": str(egypt.pk)})[1].qs) == [egypt]
    assert list(run({"is_active": "False"})[1].qs) == [egypt]
    assert list(run({"is_active": "1"})[1].qs) == [turkey]
    assert list(run({"is_active": ""})[1].qs) == [turkey, egypt]
