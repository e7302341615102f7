"""Order-side filters as Akinon's clients send them: ``order`` on order items, ``number`` with
``channel_id`` on orders, and ``status`` given as repeated keys on every list with a status filter."""

import pytest

from tests.factories import OrderFactory, OrderItemFactory
from tests.query_counts import queries_per_full_page

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["pk"] if "pk" in row else row["id"] for row in response.json()["results"]]


@pytest.fixture
def orders(channel, other_channel):
    first = OrderFactory(channel=channel, number="WEB-1", status="400")
    second = OrderFactory(channel=channel, number="WEB-2", status="450")
    third = OrderFactory(channel=channel, number="WEB-3", status="500")
    foreign = OrderFactory(channel=other_channel, number="WEB-1", status="400")
    items = {
        "first": [OrderItemFactory(order=first, status="400"), OrderItemFactory(order=first, status="450")],
        "second": [OrderItemFactory(order=second, status="450")],
        "third": [OrderItemFactory(order=third, status="500")],
        "foreign": [OrderItemFactory(order=foreign, status="400")],
    }
    return {"first": first, "second": second, "third": third, "foreign": foreign, "items": items}


ITEM_LISTS = ["/api/v1/channel/{channel}/order_items/", "/api/v1/order_items/", "/api/i1/order_items/"]


@pytest.mark.parametrize("url", ITEM_LISTS)
def test_order_items_order_is_the_order_id(member_client, channel, orders, url):
    url = url.format(channel=channel.pk)
    first_items = [item.pk for item in orders["items"]["first"]]
    assert ids(member_client.get(url, {"order": orders["first"].pk, "sort": "id"})) == first_items
    assert ids(member_client.get(url, {"order": orders["second"].pk, "sort": "id"})) == [
        orders["items"]["second"][0].pk
    ]
    assert ids(member_client.get(url, {"order": 999999999, "sort": "id"})) == []
    assert ids(member_client.get(url, {"order": orders["foreign"].pk})) == []


def test_order_items_order_query_count_does_not_grow_with_page_size(member_client, channel):
    order = OrderFactory(channel=channel)
    for _ in range(15):
        OrderItemFactory(order=order)
    counts = queries_per_full_page(member_client, f"/api/v1/channel/{channel.pk}/order_items/", {"order": order.pk})
    assert counts[0] == counts[1]


def test_orders_number_with_channel_id(member_client, channel, other_channel, orders):
    url = f"/api/v1/channel/{channel.pk}/orders/"
    assert ids(member_client.get(url, {"number": "WEB-1", "channel_id": channel.pk})) == [orders["first"].pk]
    assert ids(member_client.get(url, {"number": "WEB-1", "channel_id": other_channel.pk})) == []
    assert ids(member_client.get(url, {"number": "WEB-1", "channel": other_channel.pk})) == []
    assert ids(member_client.get(url, {"number": "WEB-9", "channel_id": channel.pk})) == []


def test_orders_pk_in_with_limit(member_client, channel, orders):
    url = f"/api/v1/channel/{channel.pk}/orders/"
    wanted = f"{orders['third'].pk},{orders['first'].pk},{orders['foreign'].pk}"
    assert ids(member_client.get(url, {"pk__in": wanted, "limit": 3})) == [orders["first"].pk, orders["third"].pk]


# --- status as repeated keys (requests encodes a list that way) -----------------------------------

STATUS_LISTS = [
    # (url, whose rows: items or orders)
    ("/api/v1/channel/{channel}/order_items/", "items"),
    ("/api/v1/channel/{channel}/order_items/detailed/", "items"),
    ("/api/i1/order_items/", "items"),
    ("/api/v1/oms/order_items/", "items"),
    ("/api/v1/oms/order_items/list-simple/", "items"),
    ("/api/v1/channel/{channel}/orders/", "orders"),
    ("/api/i1/orders/", "orders"),
]


def expected_rows(orders, kind, statuses) -> list[int]:
    if kind == "orders":
        rows = [orders[name] for name in ("first", "second", "third")]
    else:
        rows = [item for name in ("first", "second", "third") for item in orders["items"][name]]
    return sorted(row.pk for row in rows if row.status in statuses)


@pytest.mark.parametrize("url, kind", STATUS_LISTS)
def test_status_repeated_keys_match_any_of_them(member_client, channel, orders, url, kind):
    url = url.format(channel=channel.pk)
    query = "status=400&status=500&sort=id"
    assert ids(member_client.get(f"{url}?{query}")) == expected_rows(orders, kind, {"400", "500"})
    assert ids(member_client.get(f"{url}?status=approved&status=shipped&sort=id")) == expected_rows(
        orders, kind, {"400", "500"}
    )


@pytest.mark.parametrize("url, kind", STATUS_LISTS)
def test_status_one_key_is_exact(member_client, channel, orders, url, kind):
    url = url.format(channel=channel.pk)
    assert ids(member_client.get(f"{url}?status=450&sort=id")) == expected_rows(orders, kind, {"450"})
    assert ids(member_client.get(f"{url}?status=600&status=550")) == []


@pytest.mark.parametrize("url, kind", STATUS_LISTS)
def test_status_repeated_keys_with_an_unknown_one_answer_400(member_client, channel, orders, url, kind):
    response = member_client.get(f"{url.format(channel=channel.pk)}?status=400&status=sent_to_mars")
    assert response.status_code == 400
    assert response.json() == {
        "status": ['Unknown status "sent_to_mars"; use a code such as "400" or a name such as "approved".']
    }
