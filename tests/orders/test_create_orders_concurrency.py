"""create_orders under concurrency (PostgreSQL): the unique constraint and the stock row locks
decide, so concurrent requests can neither duplicate an order nor oversell."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from rest_framework.test import APIClient

from catalog.models import StockReservation
from omnitron.tokens import token_create
from orders.models import EventType, IdempotencyKey, Order, OrderEvent, OrderItem
from tests.orders.create_orders_support import available, minimal_body, url, world_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(channel):
    return world_for(channel)


@pytest.fixture
def token_key(member) -> str:
    _, key = token_create(user=member, name="concurrency")
    return key


def post_concurrently(token_key: str, channel_id: int, bodies: list[dict], headers: dict | None = None) -> list:
    """POST every body at once from its own thread (and database connection); the responses in order."""
    barrier = threading.Barrier(len(bodies))

    def send(body):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
        try:
            barrier.wait(timeout=30)
            return client.post(url(channel_id), body, format="json", **(headers or {}))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies, timeout=120))


def test_create_orders_refuses_duplicate_number_under_concurrency(world, token_key):
    # Given 20 requests for the same order number
    bodies = [minimal_body(world, number="RACE-1") for _ in range(20)]
    orders_before = Order.objects.count()

    # When they arrive at once
    responses = post_concurrently(token_key, world.channel.pk, bodies)

    # Then exactly one creates the order and nineteen are refused with its pk
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 406: 19}
    created = next(response.json() for response in responses if response.status_code == 201)
    refusals = [response.json() for response in responses if response.status_code == 406]
    assert {(body["code"], body["pk"]) for body in refusals} == {("order_number_exists", created["pk"])}
    assert Order.objects.count() == orders_before + 1
    assert OrderItem.objects.filter(order__number="RACE-1").count() == 1
    assert available(world.stock) == 9


def test_create_orders_never_oversells_under_concurrency(world, token_key):
    # Given 10 units available and 30 orders of one unit each, arriving at once
    bodies = [minimal_body(world, number=f"STOCK-{index}") for index in range(30)]
    before = {
        "orders": Order.objects.count(),
        "items": OrderItem.objects.count(),
        "events": OrderEvent.objects.count(),
    }

    # When they are posted
    responses = post_concurrently(token_key, world.channel.pk, bodies)

    # Then exactly 10 succeed and 20 are refused for stock
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 10, 406: 20}
    assert {response.json()["code"] for response in responses if response.status_code == 406} == {"insufficient_stock"}
    # And stock is exactly used up, never oversold
    assert available(world.stock) == 0
    assert StockReservation.objects.filter(stock=world.stock, released_at__isnull=True).count() == 10
    # And the refusals left no trace: only the 10 orders, their 10 items and 10 events exist
    created = {response.json()["pk"] for response in responses if response.status_code == 201}
    assert Order.objects.count() == before["orders"] + 10
    assert set(Order.objects.filter(number__startswith="STOCK-").values_list("pk", flat=True)) == created
    assert OrderItem.objects.count() == before["items"] + 10
    assert OrderEvent.objects.count() == before["events"] + 10
    assert OrderEvent.objects.filter(order__in=created, event_type=EventType.CREATED).count() == 10


def test_create_orders_locks_stock_in_one_order_so_crossing_orders_do_not_deadlock(world, token_key):
    # Given 24 orders for the same two products, half listing them in one order and half in the other
    first, second = world.products(2, stock=1000)
    bodies = []
    for index in range(24):
        pair = (first, second) if index % 2 else (second, first)
        items = [{"product": product.pk, "price": "1", "quantity": 2} for product in pair]
        bodies.append(minimal_body(world, number=f"CROSS-{index}", items=items))

    # When they arrive at once
    responses = post_concurrently(token_key, world.channel.pk, bodies)

    # Then all succeed and every unit is reserved
    assert Counter(response.status_code for response in responses) == {201: 24}
    assert StockReservation.objects.filter(stock__product__in=[first, second]).count() == 96


def test_concurrent_requests_with_one_idempotency_key_create_one_order(world, token_key):
    # Given 10 identical requests with the same key, arriving at once
    body = minimal_body(world, number="IDEM-RACE")
    bodies = [body] * 10

    # When they are posted
    responses = post_concurrently(token_key, world.channel.pk, bodies, headers={"HTTP_IDEMPOTENCY_KEY": "race"})

    # Then one order exists; every answer is that order (created or replayed) or "still in flight"
    assert Order.objects.filter(number="IDEM-RACE").count() == 1
    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {201, 409} and statuses[201] >= 1
    assert {response.json()["pk"] for response in responses if response.status_code == 201} == {
        Order.objects.get(number="IDEM-RACE").pk
    }
    assert [key.state for key in IdempotencyKey.objects.all()] == ["completed"]
