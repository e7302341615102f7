"""Shared filters: integer ids and booleans answer 400 for values they cannot read; 0 is an id that
matches nothing; lists take at most ``MAX_IN_VALUES`` values."""

from urllib.parse import urlencode

import django_filters
import pytest
from django.http import QueryDict

from channels.models import Country
from omnitron.filters import MAX_IN_VALUES, FilterSet, IdInFilter, IntegerFilter, NumberInFilter, StrictBooleanFilter

pytestmark = pytest.mark.django_db


class CountryFilter(django_filters.FilterSet):
    pk = IntegerFilter(field_name="pk")
    pk__in = NumberInFilter(field_name="pk")
    id__in = IdInFilter(field_name="pk")
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
        ({"pk": "-1"}, "pk"),
        ({"pk": "+1"}, "pk"),
        ({"pk": "1.0"}, "pk"),
        ({"pk": " 1"}, "pk"),
        ({"pk": "\u0661"}, "pk"),
        ({"pk__in": "1,,2"}, "pk__in"),
        ({"pk__in": "1,-2"}, "pk__in"),
        ({"id__in": ",".join(["1"] * (MAX_IN_VALUES + 1))}, "id__in"),
        ({"is_active": "yes"}, "is_active"),
        ({"is_active": "TRUE"}, "is_active"),
        ({"is_active": "t"}, "is_active"),
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


@pytest.mark.parametrize(
    "query",
    [{"pk": "0"}, {"pk__in": "0"}, {"pk__in": "0,0"}],
)
def test_zero_is_an_id_that_matches_nothing(countries, query):
    valid, filterset = run(query)

    assert valid, filterset.errors
    assert list(filterset.qs) == []


@pytest.mark.parametrize(
    "value, active", [("true", True), ("True", True), ("1", True), ("false", False), ("False", False), ("0", False)]
)
def test_the_accepted_boolean_spellings(countries, value, active):
    turkey, egypt = countries

    assert list(run({"is_active": value})[1].qs) == ([turkey] if active else [egypt])


def test_a_list_of_the_largest_size_is_accepted(countries):
    turkey, _ = countries
    ids = ",".join(str(turkey.pk) for _ in range(MAX_IN_VALUES))

    assert list(run({"id__in": ids})[1].qs) == [turkey]


def test_list_errors_read_clearly(countries):
    assert run({"id__in": ",".join(["1"] * (MAX_IN_VALUES + 1))})[1].errors == {
        "id__in": [f"At most {MAX_IN_VALUES} comma-separated values."]
    }
    assert run({"id__in": "1,,2"})[1].errors == {"id__in": ["Empty value in the comma-separated list."]}
    assert run({"pk": "-1"})[1].errors == {"pk": ["Ensure this value is greater than or equal to 0."]}


def test_transaction_id_zero_is_an_empty_result_over_http(member_client, channel):
    from tests.factories import OrderItemFactory

    OrderItemFactory(order__channel=channel)

    response = member_client.get(f"/api/v1/channel/{channel.pk}/order_items/", {"transaction_id": "0"})
    refused = member_client.get(f"/api/v1/channel/{channel.pk}/order_items/", {"transaction_id": "-1"})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert refused.status_code == 400
    assert refused.json() == {"transaction_id": ["Ensure this value is greater than or equal to 0."]}


@pytest.mark.parametrize(
    "url, name",
    [
        ("/api/v1/channel/{channel}/orders/?number=A&number=B", "number"),
        ("/api/v1/channel/{channel}/order_items/?sort=id&sort=-id", "sort"),
        ("/api/i1/orders/?pk__in=1&pk__in=2", "pk__in"),
        ("/api/v1/channel/{channel}/products/?is_active=true&is_active=false", "is_active"),
    ],
)
def test_a_parameter_given_twice_is_refused(member_client, channel, url, name):
    response = member_client.get(url.format(channel=channel.pk))

    assert response.status_code == 400
    assert response.json() == {
        name: ["Give this parameter once; separate several values with commas where the filter takes a list."]
    }


class OurCountryFilter(FilterSet):
    pk = IntegerFilter(field_name="pk")
    is_active = StrictBooleanFilter()
    created = django_filters.IsoDateTimeFromToRangeFilter(field_name="created_date")
    code = django_filters.CharFilter(required=True)

    class Meta:
        model = Country
        fields: list = []


@pytest.mark.parametrize(
    "query, cleaned",
    [
        ({"code": "tr"}, {"code"}),
        ({"code": "tr", "pk": "1"}, {"code", "pk"}),
        ({"code": "tr", "created_after": "2026-01-01T00:00:00Z"}, {"code", "created"}),
        ({"code": "tr", "created_before": ""}, {"code", "created"}),
        ({"pk": "1"}, {"code", "pk"}),
    ],
)
def test_the_form_cleans_the_given_filters_and_the_required_ones(countries, query, cleaned):
    filterset = OurCountryFilter(QueryDict(urlencode(query)), queryset=Country.objects.order_by("id"))

    assert set(filterset.form.fields) == cleaned
    assert filterset.is_valid() is ("code" in query)
    assert set(filterset.form.cleaned_data) == (cleaned if "code" in query else cleaned - {"code"})


def test_a_form_of_the_given_filters_filters_and_refuses_as_the_full_form(countries):
    turkey, egypt = countries
    both = OurCountryFilter(QueryDict(f"code=eg&pk={egypt.pk}"), queryset=Country.objects.order_by("id"))
    absent = OurCountryFilter(QueryDict("code=tr"), queryset=Country.objects.order_by("id"))
    bad = OurCountryFilter(QueryDict("code=tr&is_active=maybe"), queryset=Country.objects.order_by("id"))

    assert (list(both.qs), list(absent.qs)) == ([egypt], [turkey])
    assert not bad.is_valid() and list(bad.errors) == ["is_active"]
    assert list(OurCountryFilter(None, queryset=Country.objects.all()).form.fields) == [
        "pk",
        "is_active",
        "created",
        "code",
    ]


def test_filters_are_copied_and_bound_when_first_read(countries):
    filterset = OurCountryFilter(QueryDict("code=tr&pk=1"), queryset=Country.objects.order_by("id"))
    assert filterset.is_valid()
    list(filterset.qs)

    assert sorted(filterset.filters._bound) == ["code", "pk"]  # what the request gave, nothing else
    assert list(filterset.filters) == ["pk", "is_active", "created", "code"]
    assert all(
        filter_.parent is filterset and filter_ is not OurCountryFilter.base_filters[name]
        for name, filter_ in filterset.filters.items()
    )
    assert filterset.filters["pk"] is filterset.filters["pk"]


@pytest.mark.parametrize(
    "query, names, expected",
    [
        ("code=tr&pk=7", {"code", "pk"}, {"code": "tr", "pk": 7}),
        ("code=tr&is_active=false", {"code", "is_active"}, {"code": "tr", "is_active": False}),
        ("code=tr&pk=x", {"code", "pk"}, None),  # does not clean: the form answers the 400
        ("code=tr&pk=1&pk=2", {"code", "pk"}, None),  # given twice where it takes one value
        ("code=tr&created_after=2026-01-01T00:00:00Z", {"code", "created_after"}, None),  # not a form field
    ],
)
def test_clean_given_cleans_as_the_bound_form_or_declines(countries, query, names, expected):
    data = QueryDict(query)

    cleaned = OurCountryFilter.clean_given(data, names)

    assert cleaned == expected
    if expected is not None:
        form = OurCountryFilter(data, queryset=Country.objects.all()).form
        assert form.is_valid() and {name: form.cleaned_data[name] for name in names} == expected
