"""The channel ``orders/`` lookup (API.md 4.5): flat orders of one channel, by number or ids."""

from decimal import Decimal

import pytest
from django.db import connection

from orders.serializers.create import ORDER_FLAT_KEYS, OrderFlatSerializer
from tests.factories import OrderFactory, OrderItemFactory
from tests.query_counts import CaptureQueriesContext

pytestmark = pytest.mark.django_db
BASE = "/api/v1/channel/{}/orders/"


@pytest.fixture
def orders(channel, other_channel):
    first = OrderFactory(channel=channel, number="FLAT-1", status="400", amount=Decimal("250.5"))
    second = OrderFactory(channel=channel, number="FLAT-2", status="550")
    foreign = OrderFactory(channel=other_channel, number="FLAT-1", status="400")
    for order in (first, second, foreign):
        OrderItemFactory(order=order)
    return first, second, foreign


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["pk"] for row in response.json()["results"]]


def test_list_shows_only_the_channels_orders_in_the_flat_shape(member_client, channel, orders):
    first, second, _ = orders
    body = member_client.get(BASE.format(channel.pk)).json()
    assert body["count"] == 2
    assert [row["pk"] for row in body["results"]] == [first.pk, second.pk]
    row = body["results"][0]
    assert tuple(row) == ORDER_FLAT_KEYS
    assert row["number"] == "FLAT-1"
    assert row["channel"] == channel.pk
    assert row["status"] == "400"
    assert row["customer"] == first.customer_id
    assert row["shipping_address"] == first.shipping_address_id
    assert row["billing_address"] == first.billing_address_id
    assert row["amount"] == "250.50"
    assert row["shipping_amount"] == "10.00"
    assert row["currency"] == "try"
    assert row["is_send"] is False
    assert "orderitem_set" not in row


def test_schema_serializer_declares_the_same_keys():
    assert tuple(OrderFlatSerializer().fields) == ORDER_FLAT_KEYS


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("number=FLAT-2", [1]),
        ("number=FLAT-9", []),
        ("status=550", [1]),
        ("status=delivered", [1]),
        ("status=100", []),
        ("sort=-id", [1, 0]),
    ],
)
def test_filters(member_client, channel, orders, query, expected):
    assert ids(member_client.get(f"{BASE.format(channel.pk)}?{query}")) == [orders[i].pk for i in expected]


def test_pk_in_filter_ignores_foreign_ids(member_client, channel, orders):
    first, _, foreign = orders
    url = f"{BASE.format(channel.pk)}?pk__in={first.pk},{foreign.pk}"
    assert ids(member_client.get(url)) == [first.pk]


def test_number_lookup_of_another_channel_finds_nothing(member_client, channel, orders):
    # FLAT-1 exists in both channels; only this channel's one is returned.
    assert ids(member_client.get(f"{BASE.format(channel.pk)}?number=FLAT-1")) == [orders[0].pk]


def test_retrieve_equals_the_list_row(member_client, channel, orders):
    list_row = member_client.get(f"{BASE.format(channel.pk)}?number=FLAT-1").json()["results"][0]
    response = member_client.get(f"{BASE.format(channel.pk)}{orders[0].pk}/")
    assert response.status_code == 200
    assert response.json() == list_row


def test_foreign_order_and_foreign_channel_are_404(member_client, channel, other_channel, orders):
    foreign = orders[2]
    assert member_client.get(f"{BASE.format(channel.pk)}{foreign.pk}/").status_code == 404
    response = member_client.get(BASE.format(other_channel.pk))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_anonymous_is_401(anon_client, channel):
    assert anon_client.get(BASE.format(channel.pk)).status_code == 401


def test_query_count_does_not_grow_with_page_size(member_client, channel):
    for n in range(120):
        OrderFactory(channel=channel, number=f"BULK-{n}")

    def count(url):
        with CaptureQueriesContext(connection) as context:
            assert member_client.get(url).status_code == 200
        return len(context.captured_queries)

    count(BASE.format(channel.pk))  # records the token's last use (once a minute)
    # token lookup, membership, page, count
    assert count(BASE.format(channel.pk) + "?limit=1") == 4
    assert count(BASE.format(channel.pk) + "?limit=100") == 4
