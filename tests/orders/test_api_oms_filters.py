"""Filters, sorting and paging of the OMS order-item lists (both shapes)."""

from datetime import UTC, datetime

import pytest

from orders.models import OrderItem
from tests.factories import OrderFactory, OrderItemFactory

pytestmark = pytest.mark.django_db

LIST_URLS = ["/api/v1/oms/order_items/", "/api/v1/oms/order_items/list-simple/"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def two_orders(channel):
    first = OrderFactory(channel=channel, number="ORD-1")
    second = OrderFactory(channel=channel, number="ORD-2")
    items = [OrderItemFactory(order=first), OrderItemFactory(order=second), OrderItemFactory(order=first)]
    return first, second, items


@pytest.mark.parametrize("url", LIST_URLS)
def test_order_number_returns_that_orders_items(member_client, two_orders, url):
    _, _, items = two_orders

    assert ids(member_client.get(url, {"order_number": "ORD-1"})) == [items[0].pk, items[2].pk]
    assert ids(member_client.get(url, {"order_number": "ORD-2"})) == [items[1].pk]


@pytest.mark.parametrize("url", LIST_URLS)
def test_unknown_order_number_returns_nothing(member_client, two_orders, url):
    response = member_client.get(url, {"order_number": "ORD-404"})

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_order_number_is_exact(member_client, two_orders):
    assert ids(member_client.get(LIST_URLS[0], {"order_number": "ORD"})) == []
    assert ids(member_client.get(LIST_URLS[0], {"order_number": "ord-1"})) == []


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("value", ["450", "preparing", " Preparing "])
def test_status_accepts_code_or_name(member_client, channel, url, value):
    order = OrderFactory(channel=channel)
    preparing = OrderItemFactory(order=order, status="450")
    OrderItemFactory(order=order, status="400")

    assert ids(member_client.get(url, {"status": value})) == [preparing.pk]


def test_status_accepts_the_british_spelling_of_canceled(member_client, channel):
    order = OrderFactory(channel=channel)
    canceled = OrderItemFactory(order=order, status="100")
    OrderItemFactory(order=order, status="400")

    assert ids(member_client.get(LIST_URLS[0], {"status": "cancelled"})) == [canceled.pk]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("value", ["shiped", "999", "45O"])
def test_unknown_status_answers_400_naming_the_parameter(member_client, channel, url, value):
    OrderItemFactory(order=OrderFactory(channel=channel))

    response = member_client.get(url, {"status": value})

    assert response.status_code == 400
    assert response.json() == {
        "status": [f'Unknown status "{value}"; use a code such as "400" or a name such as "approved".']
    }


@pytest.fixture
def dated_items(channel):
    """Three items modified on 1, 2 and 3 March 2024 (noon UTC)."""
    order = OrderFactory(channel=channel)
    items = [OrderItemFactory(order=order) for _ in range(3)]
    for day, item in enumerate(items, start=1):
        OrderItem.objects.filter(pk=item.pk).update(modified_date=datetime(2024, 3, day, 12, tzinfo=UTC))
    return items


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize(
    "param, expected",
    [
        ("modified_date__gt", [2]),
        ("modified_date__gte", [1, 2]),
        ("modified_date__lt", [0]),
        ("modified_date__lte", [0, 1]),
    ],
)
def test_modified_date_lookups(member_client, dated_items, url, param, expected):
    response = member_client.get(url, {param: "2024-03-02T12:00:00Z"})

    assert ids(response) == [dated_items[index].pk for index in expected]


def test_modified_date_accepts_offsets(member_client, dated_items):
    # 2024-03-02T15:00+03:00 is noon UTC.
    response = member_client.get(LIST_URLS[0], {"modified_date__gte": "2024-03-02T15:00:00+03:00"})

    assert ids(response) == [dated_items[1].pk, dated_items[2].pk]


def test_modified_date_range(member_client, dated_items):
    response = member_client.get(
        LIST_URLS[0], {"modified_date__gt": "2024-03-01T12:00:00Z", "modified_date__lt": "2024-03-03T00:00:00Z"}
    )

    assert ids(response) == [dated_items[1].pk]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize(
    "param", ["modified_date__gt", "modified_date__gte", "modified_date__lt", "modified_date__lte"]
)
@pytest.mark.parametrize("value", ["yesterday", "2024-13-01T00:00:00Z", "2024-03-02T25:00:00"])
def test_invalid_modified_date_answers_400_naming_the_parameter(member_client, dated_items, url, param, value):
    response = member_client.get(url, {param: value})

    assert response.status_code == 400
    assert list(response.json()) == [param]


@pytest.mark.parametrize("url", LIST_URLS)
def test_sort(member_client, dated_items, url):
    first, second, third = dated_items
    OrderItem.objects.filter(pk=first.pk).update(modified_date=datetime(2024, 3, 9, tzinfo=UTC))

    assert ids(member_client.get(url)) == [first.pk, second.pk, third.pk]
    assert ids(member_client.get(url, {"sort": "-id"})) == [third.pk, second.pk, first.pk]
    assert ids(member_client.get(url, {"sort": "modified_date"})) == [second.pk, third.pk, first.pk]
    assert ids(member_client.get(url, {"sort": "-modified_date"})) == [first.pk, third.pk, second.pk]
    assert ids(member_client.get(url, {"sort": "created_date"})) == [first.pk, second.pk, third.pk]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("value", ["price", "-status", "id,order__number"])
def test_sort_outside_the_allow_list_answers_400(member_client, dated_items, url, value):
    response = member_client.get(url, {"sort": value})

    assert response.status_code == 400
    assert list(response.json()) == ["sort"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_pages(member_client, channel, url):
    order = OrderFactory(channel=channel)
    items = [OrderItemFactory(order=order) for _ in range(5)]

    first = member_client.get(url, {"limit": 2}).json()
    second = member_client.get(url, {"limit": 2, "page": 2}).json()
    last = member_client.get(url, {"limit": 2, "page": 3}).json()

    assert [row["id"] for row in first["results"]] == [items[0].pk, items[1].pk]
    assert first["count"] == 5
    assert first["next"] == f"http://testserver{url}?limit=2&page=2"
    assert first["previous"] is None
    assert [row["id"] for row in second["results"]] == [items[2].pk, items[3].pk]
    assert second["previous"] == f"http://testserver{url}?limit=2"
    assert [row["id"] for row in last["results"]] == [items[4].pk]
    assert (last["count"], last["next"]) == (5, None)
    assert member_client.get(url, {"limit": 2, "page": 4}).json() == {"detail": "Invalid page.", "code": "not_found"}
    assert member_client.get(url, {"limit": 0}).status_code == 400


def test_filters_combine_with_paging_and_keep_the_query_in_links(member_client, two_orders):
    _, _, items = two_orders

    body = member_client.get(LIST_URLS[0], {"order_number": "ORD-1", "limit": 1}).json()

    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [items[0].pk]
    assert body["next"] == "http://testserver/api/v1/oms/order_items/?limit=1&order_number=ORD-1&page=2"
