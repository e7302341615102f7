"""Integration orders (seed 002): /api/i1/orders/ list, detail, is_send, events, filters, scoping."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from orders.models import EventType, Order, OrderEvent
from orders.serializers.i1 import OrderI1Serializer
from tests.factories import OrderFactory, OrderItemFactory
from tests.query_counts import CaptureQueriesContext

pytestmark = pytest.mark.django_db
SEED = json.loads((Path(__file__).resolve().parent.parent / "seeds" / "seed_002_order.json").read_text())["order"]


@pytest.fixture
def orders(channel, other_channel):
    channel.conf = {"server": "http://localhost:8080/api/v1/", "api_key": "k", "nested": {"password": "p", "x": 1}}
    channel.save()
    sent = OrderFactory(channel=channel, number="N-1", status="400", is_send=True)
    queued = OrderFactory(channel=channel, number="N-2", status="400")
    shipped = OrderFactory(channel=channel, number="N-3", status="500")
    foreign = OrderFactory(channel=other_channel, number="N-1", status="400")
    for order in (sent, queued, shipped, foreign):
        OrderItemFactory(order=order)
    return sent, queued, shipped, foreign


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


FREE_FORM = {"extra_field", "conf", "attributes", "attributes_kwargs"}


def keyset(value):
    """Nested key structure of a JSON value (lists by their first element; free-form dicts as leaves)."""
    if isinstance(value, dict):
        return {key: None if key in FREE_FORM else keyset(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [keyset(value[0])] if value else []
    return None


def test_detail_has_every_key_of_the_seed_example_with_the_same_nesting(member_client, orders):
    body = member_client.get(f"/api/i1/orders/{orders[0].pk}/").json()
    expected, actual = keyset(SEED), keyset(body)
    for key, shape in expected.items():
        assert key in actual, key
        if isinstance(shape, dict):
            for inner, inner_shape in shape.items():
                assert inner in actual[key], f"{key}.{inner}"
                if isinstance(inner_shape, dict):
                    assert set(inner_shape) <= set(actual[key][inner]), f"{key}.{inner}"
    assert set(expected["orderitem_set"][0]) <= set(actual["orderitem_set"][0])
    assert set(expected["channel"]) == set(actual["channel"])
    assert set(body) == set(OrderI1Serializer().fields)


def test_detail_values(member_client, orders, channel):
    order = orders[0]
    item = order.orderitem_set.get()
    body = member_client.get(f"/api/i1/orders/{order.pk}/").json()
    assert (body["id"], body["number"], body["status"], body["is_send"]) == (order.pk, "N-1", "400", True)
    assert body["customer"] == {
        "id": order.customer_id,
        "email": order.customer.email,
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "phone_number": "05550000000",
    }
    address = order.shipping_address
    assert body["shipping_address"]["country"] == {"name": "Turkey", "code": "tr"}
    assert body["shipping_address"]["city"] == {"id": address.city_id, "name": address.city.name}
    assert body["shipping_address"]["township"] == {"id": address.township_id, "name": address.township.name}
    assert body["shipping_address"]["district"] == {"id": address.district_id, "name": address.district.name}
    assert (body["amount"], body["shipping_amount"], body["net_shipping_amount"]) == ("100.00", "10.00", "10.00")
    assert body["orderitem_set"][0]["product_sku"] == item.product.sku
    assert body["orderitem_set"][0]["price"] == "100.00" and body["orderitem_set"][0]["tax_rate"] == "20.00"


def test_channel_conf_secrets_are_never_shown(member_client, orders):
    body = member_client.get(f"/api/i1/orders/{orders[0].pk}/").json()
    assert body["channel"]["conf"] == {"server": "http://localhost:8080/api/v1/", "nested": {"x": 1}}


@pytest.mark.parametrize("prefix", ["/api/i1", "/api/v1"])
def test_number_lookup_answers_one_order_of_the_callers_channels(member_client, orders, prefix):
    assert ids(member_client.get(f"{prefix}/orders/?number=N-1")) == [orders[0].pk]
    assert ids(member_client.get(f"{prefix}/orders/?number=N-404")) == []


def test_erp_queue_filter(member_client, orders):
    assert ids(member_client.get("/api/i1/orders/?is_send=False&status=400")) == [orders[1].pk]
    assert ids(member_client.get("/api/i1/orders/?is_send=true")) == [orders[0].pk]
    assert ids(member_client.get("/api/i1/orders/?status=approved")) == [orders[0].pk, orders[1].pk]


def test_more_filters(member_client, orders, channel):
    sent, queued, shipped, foreign = orders
    shipped.orderitem_set.update(cancel_status="waiting")
    assert ids(member_client.get("/api/i1/orders/?cancel_status=waiting")) == [shipped.pk]
    assert ids(member_client.get("/api/i1/orders/?cancel_status=completed")) == []
    assert ids(member_client.get(f"/api/i1/orders/?channel={channel.pk}")) == [sent.pk, queued.pk, shipped.pk]
    assert ids(member_client.get(f"/api/i1/orders/?channel={foreign.channel_id}")) == []
    assert ids(member_client.get(f"/api/i1/orders/?pk__in={sent.pk},{foreign.pk}")) == [sent.pk]
    Order.objects.filter(pk=sent.pk).update(date_placed=timezone.now() - timedelta(days=5))
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+", "%2B")
    assert ids(member_client.get(f"/api/i1/orders/?date_placed__gte={since}")) == [queued.pk, shipped.pk]
    assert ids(member_client.get(f"/api/i1/orders/?date_placed__lt={since}")) == [sent.pk]
    assert ids(member_client.get("/api/i1/orders/?sort=-id")) == [shipped.pk, queued.pk, sent.pk]


@pytest.mark.parametrize(
    "query, field",
    [
        ("is_send=maybe", "is_send"),
        ("status=nope", "status"),
        ("date_placed__gte=soon", "date_placed__gte"),
        ("channel=abc", "channel"),
        ("cancel_status=x", "cancel_status"),
        ("sort=amount", "sort"),
    ],
)
def test_invalid_filters_are_400(member_client, orders, query, field):
    response = member_client.get(f"/api/i1/orders/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_scoping(member_client, staff_client, orders):
    foreign = orders[3]
    assert foreign.pk not in ids(member_client.get("/api/i1/orders/?limit=100"))
    for path in (f"/api/i1/orders/{foreign.pk}/", f"/api/i1/orders/{foreign.pk}/events/"):
        assert member_client.get(path).status_code == 404
    response = member_client.patch(f"/api/i1/orders/{foreign.pk}/", {"is_send": True}, format="json")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_send is False
    assert foreign.pk in ids(staff_client.get("/api/i1/orders/?limit=100"))


def test_patch_marks_sent_and_records_an_event(member_client, orders, member):
    queued = orders[1]
    response = member_client.patch(f"/api/i1/orders/{queued.pk}/", {"is_send": True}, format="json")
    assert response.status_code == 200
    assert response.json()["is_send"] is True
    queued.refresh_from_db()
    assert queued.is_send is True
    event = OrderEvent.objects.get(order=queued, event_type=EventType.SENT_TO_ERP)
    assert (event.old_value, event.new_value, event.actor_id) == (False, True, member.pk)
    assert member_client.patch(f"/api/i1/orders/{queued.pk}/", {"is_send": True}, format="json").status_code == 200
    assert OrderEvent.objects.filter(order=queued, event_type=EventType.SENT_TO_ERP).count() == 1


def test_patch_of_other_order_fields_is_400_and_changes_nothing_when_strict(member_client, orders):
    queued = orders[1]
    response = member_client.patch(
        f"/api/i1/orders/{queued.pk}/", {"is_send": True, "status": "500"}, format="json", HTTP_PREFER="handling=strict"
    )
    assert response.status_code == 400
    assert "order_items" in response.json()["status"][0]
    queued.refresh_from_db()
    assert (queued.is_send, queued.status) == (False, "400")


def test_patch_ignores_other_order_fields_and_names_them(member_client, orders):
    """An order read back and sent whole: only is_send changes; the rest is named, not applied."""
    queued = orders[1]
    response = member_client.patch(
        f"/api/i1/orders/{queued.pk}/", {"pk": queued.pk, "is_send": True, "status": "500"}, format="json"
    )
    assert response.status_code == 200
    assert response["Ignored-Fields"] == "pk, status"
    queued.refresh_from_db()
    assert (queued.is_send, queued.status) == (True, "400")


def test_patch_needs_change_order(readonly_member_client, orders):
    response = readonly_member_client.patch(f"/api/i1/orders/{orders[1].pk}/", {"is_send": True}, format="json")
    assert response.status_code == 403
    orders[1].refresh_from_db()
    assert orders[1].is_send is False


def test_events_are_oldest_first(member_client, orders):
    queued = orders[1]
    member_client.patch(f"/api/i1/orders/{queued.pk}/", {"is_send": True}, format="json")
    member_client.patch(f"/api/i1/orders/{queued.pk}/", {"is_send": False}, format="json")
    body = member_client.get(f"/api/i1/orders/{queued.pk}/events/").json()
    assert [(row["event_type"], row["new_value"]) for row in body["results"]] == [
        ("sent_to_erp", True),
        ("sent_to_erp", False),
    ]


def test_list_queries_do_not_grow_with_page_size(member_client, channel):
    for _ in range(110):
        OrderItemFactory(order=OrderFactory(channel=channel))
    member_client.get("/api/i1/orders/?limit=1")
    counts = []
    for limit in (1, 100):
        with CaptureQueriesContext(connection) as context:
            assert member_client.get(f"/api/i1/orders/?limit={limit}").status_code == 200
        counts.append(len(context.captured_queries))
    # token, membership, page, count, customers, addresses, items, channels
    assert counts == [8, 8]
