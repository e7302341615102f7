"""Concurrent writes on one order item (PostgreSQL): every write path takes its row locks in one
order (``orders.locks``), so racing writes queue instead of deadlocking, none answers 5xx, and the
event trail reads as one chain."""

import itertools
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from rest_framework.test import APIClient

from catalog.models import StockReservation
from omnitron.tokens import token_create
from orders.models import EventType, Order, OrderEvent, OrderItem
from orders.services.cancellation import order_cancel
from orders.services.events import json_value
from tests.factories import CancellationReasonFactory, OrderFactory, OrderItemFactory, ProductStockFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 4


def cancel(order: Order, item: OrderItem, reason_id: int) -> tuple[str, str, dict]:
    return (
        "post",
        f"/api/i1/orders/{order.pk}/cancel/",
        {"cancel_items": [item.pk], "reasons": {str(item.pk): reason_id}},
    )


def create_mapping(order: Order, item: OrderItem, reason_id: int) -> tuple[str, str, dict]:
    return "post", f"/api/i1/order_items/{item.pk}/create_mapping/", {"code": f"ERP-{item.pk}", "update_stock": True}


def item_patch(order: Order, item: OrderItem, reason_id: int) -> tuple[str, str, dict]:
    return "patch", f"/api/i1/order_items/{item.pk}/", {"status": "500", "tracking_number": "TRK-1"}


def bulk_status(order: Order, item: OrderItem, reason_id: int) -> tuple[str, str, dict]:
    return "patch", "/api/i1/order_items/bulk_status_update/", {"orderitem_set": [{"id": item.pk, "status": "450"}]}


def refund_complete(order: Order, item: OrderItem, reason_id: int) -> tuple[str, str, dict]:
    return "patch", f"/api/i1/order_items/{item.pk}/", {"status": "600"}


def channel_item_patch(order: Order, item: OrderItem, reason_id: int) -> tuple[str, str, dict]:
    return "patch", f"/api/v1/channel/{order.channel_id}/order_items/{item.pk}/", {"status": "450"}


# (first write, second write, the raced item's status before): 550 items have a refund requested.
PAIRS = [
    (cancel, create_mapping, "400"),
    (item_patch, create_mapping, "400"),
    (bulk_status, create_mapping, "400"),
    (bulk_status, cancel, "400"),
    (item_patch, cancel, "400"),
    (channel_item_patch, create_mapping, "400"),
    (item_patch, bulk_status, "400"),
    (refund_complete, create_mapping, "550"),
    (refund_complete, cancel, "550"),
]


@pytest.fixture
def token_key(member) -> str:
    _, key = token_create(user=member, name="races")
    return key


def order_with_items(channel, status: str, reason_id: int) -> tuple[Order, OrderItem]:
    """An order of two reserved items at ``status``; the first is the one raced on. At 550 a refund
    of the first is requested (cancel status ``waiting``, a waiting refund plan)."""
    order = OrderFactory(channel=channel, status=status)
    stock = ProductStockFactory(stock_list=channel.catalog.stock_list, stock=10)
    items = [
        OrderItemFactory(
            order=order, product=stock.product, status=status, reservation=StockReservation.objects.create(stock=stock)
        )
        for _ in range(2)
    ]
    if status == "550":
        order_cancel(
            order_id=order.pk,
            channel_ids=None,
            actor=None,
            cancel_items=[items[0].pk],
            reasons={items[0].pk: reason_id},
        )
    return order, items[0]


def send_at_once(token_key: str, requests: list[tuple[str, str, dict]]) -> list:
    """Send every request at the same moment, each from its own thread and database connection."""
    barrier = threading.Barrier(len(requests))

    def send(request):
        method, path, body = request
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
        try:
            barrier.wait(timeout=30)
            return getattr(client, method)(path, body, format="json")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests, timeout=120))


def assert_event_chain(order: Order) -> None:
    """Per (item, field): each event's old value is the previous event's new value, and the row's
    final value is the last event's new value."""
    chains = defaultdict(list)
    for event in OrderEvent.objects.filter(order=order).exclude(field=None).order_by("pk"):
        chains[(event.item_id, event.field)].append(event)
    for (item_id, name), events in chains.items():
        for previous, event in itertools.pairwise(events):
            assert event.old_value == previous.new_value, (item_id, name, [(e.old_value, e.new_value) for e in events])
        row = OrderItem.objects.get(pk=item_id) if item_id else Order.objects.get(pk=order.pk)
        if hasattr(row, name):
            assert json_value(getattr(row, name)) == events[-1].new_value, (item_id, name)


@pytest.mark.parametrize(("first", "second", "status"), PAIRS, ids=lambda value: getattr(value, "__name__", value))
def test_racing_writes_on_one_item_queue_without_5xx_and_keep_one_event_chain(
    channel, token_key, first, second, status
):
    # Given a fresh order per round, and two writes on its first item sent at the same moment
    reason = CancellationReasonFactory()
    statuses: Counter = Counter()
    for _ in range(ROUNDS):
        order, item = order_with_items(channel, status, reason.pk)

        # When they race
        responses = send_at_once(token_key, [first(order, item, reason.pk), second(order, item, reason.pk)])

        # Then neither answers 5xx: each either applies or is refused for the state the other left
        for response in responses:
            statuses[response.status_code] += 1
            assert response.status_code < 500, response.json()
        # And the trail is one chain that ends in the stored values
        assert_event_chain(order)
        # And the raced item's reservation was released at most once
        released = OrderEvent.objects.filter(item=item, event_type=EventType.RESERVATION_RELEASED).count()
        assert released == (1 if StockReservation.objects.get(order_item=item).released_at else 0)
    assert set(statuses) <= {200, 201, 400}
