"""The ERP loop, end to end through the API: create → poll → mark sent → ack with codes → ship → deliver."""

import pytest

from catalog.models import ProductStock, StockReservation
from orders.models import EventType, Order, OrderEvent, OrderItem
from tests.orders.create_orders_support import available, minimal_body, url, world_for

pytestmark = pytest.mark.django_db
QUEUE = "/api/i1/orders/?is_send=False&status=400&limit=100"


def queue_numbers(client) -> list[str]:
    response = client.get(QUEUE)
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def event_types(order_id: int) -> list[str]:
    return list(OrderEvent.objects.filter(order_id=order_id).order_by("id").values_list("event_type", flat=True))


def active_reservations(order_id: int) -> int:
    return StockReservation.objects.filter(order_item__order_id=order_id, released_at__isnull=True).count()


def test_erp_loop_end_to_end(member_client, channel):
    world = world_for(channel)
    products = [world.product, *world.products(2, stock=5)]
    stocks = [ProductStock.objects.get(product=product, stock_list=channel.catalog.stock_list) for product in products]
    before = [available(stock) for stock in stocks]
    # The parent item world_for creates is in its own approved order; the ERP has already taken it.
    Order.objects.filter(pk=world.parent_item.order_id).update(is_send=True)

    # 1. The channel app creates an approved order of three products.
    body = minimal_body(
        world,
        number="LOOP-1",
        status="400",
        amount="60.00",
        items=[{"product": product.pk, "price": "20.00"} for product in products],
    )
    created = member_client.post(url(channel.pk), body, format="json")
    assert created.status_code == 201, created.content
    order_id = created.json()["pk"]
    item_ids = [row["pk"] for row in created.json()["orderitem_set"]]
    assert len(item_ids) == 3
    assert [available(stock) for stock in stocks] == [n - 1 for n in before]
    assert active_reservations(order_id) == 3
    assert event_types(order_id) == [EventType.CREATED]

    # 2. The ERP polls its queue and finds the order, unsent, with its three items.
    assert queue_numbers(member_client) == ["LOOP-1"]
    detail = member_client.get("/api/i1/orders/?number=LOOP-1").json()["results"][0]
    assert detail["id"] == order_id
    assert detail["status"] == "400"
    assert detail["is_send"] is False
    assert sorted(item["id"] for item in detail["orderitem_set"]) == sorted(item_ids)

    # 3. It marks the order sent; the queue is empty again.
    sent = member_client.patch(f"/api/i1/orders/{order_id}/", {"is_send": True}, format="json")
    assert sent.status_code == 200, sent.content
    assert sent.json()["is_send"] is True
    assert queue_numbers(member_client) == []
    assert event_types(order_id)[-1] == EventType.SENT_TO_ERP

    # 4. It acknowledges each item with its own code; the reservations are released (the ERP counts them now).
    for index, item_id in enumerate(item_ids):
        ack = member_client.post(
            f"/api/i1/order_items/{item_id}/create_mapping/",
            {"code": f"ERP-{index}", "update_stock": True},
            format="json",
        )
        assert ack.status_code == 201, ack.content
        assert ack.json()["code"] == f"ERP-{index}"
    assert active_reservations(order_id) == 0
    assert [available(stock) for stock in stocks] == before
    assert event_types(order_id)[-6:] == [EventType.MAPPING_CREATED, EventType.RESERVATION_RELEASED] * 3

    # 5. It ships every item in one all-or-nothing call.
    shipped = member_client.patch(
        "/api/i1/order_items/bulk_status_update/",
        {"orderitem_set": [{"id": pk, "status": "500", "tracking_number": f"TRK-{pk}"} for pk in item_ids]},
        format="json",
    )
    assert shipped.status_code == 200, shipped.content
    assert [row["status"] for row in shipped.json()] == ["500", "500", "500"]
    assert Order.objects.get(pk=order_id).status == "500"
    assert set(OrderItem.objects.filter(order_id=order_id).values_list("tracking_number", flat=True)) == {
        f"TRK-{pk}" for pk in item_ids
    }

    # 6. It reports delivery item by item; the order follows its items.
    for number, item_id in enumerate(item_ids, start=1):
        delivered = member_client.patch(f"/api/i1/order_items/{item_id}/", {"status": "delivered"}, format="json")
        assert delivered.status_code == 200, delivered.content
        assert delivered.json()["status"] == "550"
        expected_order_status = "550" if number == len(item_ids) else "500"
        assert Order.objects.get(pk=order_id).status == expected_order_status

    final = member_client.get(f"/api/i1/orders/{order_id}/").json()
    assert final["status"] == "550"
    assert final["is_send"] is True
    assert [item["status"] for item in final["orderitem_set"]] == ["550", "550", "550"]
    # The audit trail, as the events endpoint shows it: every step above, in order.
    events = member_client.get(f"/api/i1/orders/{order_id}/events/?limit=100").json()["results"]
    assert [event["event_type"] for event in events] == event_types(order_id)
    status_moves = [
        (event["item"], event["old_value"], event["new_value"])
        for event in events
        if event["event_type"] == EventType.STATUS_CHANGED and event["item"] is not None
    ]
    assert status_moves == [(pk, "400", "500") for pk in item_ids] + [(pk, "500", "550") for pk in item_ids]
    assert active_reservations(order_id) == 0
