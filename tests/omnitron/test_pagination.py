"""Page/limit pagination: defaults, limits, links, out-of-range pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from channels.models import City, Country
from omnitron.pagination import PageLimitPagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def countries():
    Country.objects.bulk_create([Country(name=f"Country {i:02d}", code=f"{i:02d}") for i in range(25)])
    return Country.objects.order_by("id")


def paginate(query: str, queryset):
    request = Request(APIRequestFactory().get(f"/api/v1/things/{query}"))
    paginator = PageLimitPagination()
    rows = paginator.paginate_queryset(queryset, request)
    return paginator, rows, paginator.get_paginated_response([row.code for row in rows]).data


def test_default_page_has_ten_rows_and_a_next_link(countries):
    _, _rows, body = paginate("?status=400", countries)
    assert body["count"] == 25
    assert body["results"] == [f"{i:02d}" for i in range(10)]
    assert body["next"] == "http://testserver/api/v1/things/?page=2&status=400"
    assert body["previous"] is None


def test_limit_and_last_page(countries):
    _, _, body = paginate("?limit=10&page=3", countries)
    assert body["count"] == 25
    assert body["results"] == [f"{i:02d}" for i in range(20, 25)]
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/v1/things/?limit=10&page=2"


def test_second_page_previous_link_drops_page(countries):
    _, _, body = paginate("?limit=10&page=2", countries)
    assert body["previous"] == "http://testserver/api/v1/things/?limit=10"


def test_max_limit_is_1000(countries):
    _, rows, body = paginate("?limit=1000", countries)
    assert len(rows) == 25 and body["next"] is None


@pytest.mark.parametrize("limit", ["1001", "10000", "1000000000", "9" * 30])
def test_limit_above_the_maximum_is_served_as_the_maximum(db, limit):
    country = Country.objects.create(name="Turkey", code="tr")
    City.objects.bulk_create([City(country=country, name=f"City {i:04d}") for i in range(1001)])
    cities = City.objects.order_by("id")

    def page(query):
        request = Request(APIRequestFactory().get(f"/api/v1/things/{query}"))
        paginator = PageLimitPagination()
        rows = paginator.paginate_queryset(cities, request)
        return paginator, rows, paginator.get_paginated_response([]).data

    paginator, rows, body = page(f"?limit={limit}")
    assert (paginator.limit, [row.pk for row in rows], body["count"]) == (
        1000,
        list(cities.values_list("pk", flat=True)[:1000]),
        1001,
    )
    assert body["next"] == f"http://testserver/api/v1/things/?limit={limit}&page=2"
    _, last, last_body = page(f"?limit={limit}&page=2")
    assert [row.pk for row in last] == [cities.last().pk]
    assert last_body["next"] is None


@pytest.mark.parametrize(
    "limit, message",
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-1", "Ensure this value is greater than or equal to 1."),
        ("abc", "A valid integer is required."),
        ("1.5", "A valid integer is required."),
    ],
)
def test_limit_below_one_or_not_a_whole_number_is_400(countries, limit, message):
    with pytest.raises(ValidationError) as excinfo:
        paginate(f"?limit={limit}", countries)
    assert excinfo.value.detail == {"limit": [message]}


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "99999999999999999999"])
def test_out_of_range_or_invalid_page_is_404(countries, page):
    with pytest.raises(NotFound) as excinfo:
        paginate(f"?page={page}", countries)
    assert str(excinfo.value.detail) == "Invalid page."


def test_empty_list_first_page_is_200_with_zero_count(db):
    _, _rows, body = paginate("", Country.objects.order_by("id"))
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_short_page_skips_the_count_query(countries):
    with CaptureQueriesContext(connection) as short:
        _, _, body = paginate("?limit=100", countries)
    with CaptureQueriesContext(connection) as full:
        _, _, full_body = paginate("?limit=5", countries)
    assert body["count"] == 25 and full_body["count"] == 25
    assert len(short.captured_queries) == 1
    assert len(full.captured_queries) == 2


def test_count_is_exact_on_every_request_when_the_count_cache_is_off(countries, settings):
    # Given the count cache disabled (the default)
    settings.API_COUNT_CACHE_SECONDS = 0
    assert paginate("?limit=10", countries)[2]["count"] == 25
    # When a row is added
    Country.objects.create(name="Country new", code="zz")
    # Then the next request counts it
    assert paginate("?limit=10", countries)[2]["count"] == 26


def test_cached_count_is_reused_for_the_same_query_only(countries, settings):
    # Given the count cache enabled
    from django.core.cache import cache

    cache.clear()
    settings.API_COUNT_CACHE_SECONDS = 60
    assert paginate("?limit=10", countries)[2]["count"] == 25
    Country.objects.create(name="Country new", code="zz")
    # When the same query is paged again within the TTL, no COUNT runs and the count is the cached one
    with CaptureQueriesContext(connection) as queries:
        _, _, body = paginate("?limit=10&page=2", countries)
    assert body["count"] == 25
    assert len(queries) == 1
    # Then another query (other filters) counts on its own
    assert paginate("?limit=10", countries.filter(code__gte="10"))[2]["count"] == 16
    # And a page past a stale count still shows its rows with a count that covers them
    _, rows, body = paginate("?limit=13&page=2", countries)
    assert len(rows) == 13
    assert body["count"] == 26
    cache.clear()


def test_a_cached_count_of_a_query_that_selects_nothing_is_zero_without_a_statement(countries, settings):
    # Given the count cache enabled and a query that can select nothing (an empty id list)
    settings.API_COUNT_CACHE_SECONDS = 60
    empty = countries.filter(pk__in=[])
    # When a page past the first is asked, Then it is the usual 404, with no statement run
    with CaptureQueriesContext(connection) as queries, pytest.raises(NotFound):
        paginate("?limit=10&page=2", empty)
    assert len(queries) == 0
    assert PageLimitPagination().get_count(empty) == 0
