"""create_orders commits everything or nothing: a failure after the items are written leaves the
database exactly as it was. These run real transactions (not the test's wrapping one)."""

import pytest
from django.db import OperationalError

from omnitron import db as omnitron_db
from orders.services import create as create_service
from tests.orders.create_orders_support import available, minimal_body, snapshot, url, world_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(channel):
    return world_for(channel)


def _fail(*args, **kwargs):
    raise RuntimeError("injected failure")


@pytest.mark.parametrize("key", [None, "atomic-1"])
def test_a_failure_after_the_items_are_written_leaves_the_database_as_before(member_client, world, monkeypatch, key):
    # Given the event write (after the order, reservations and items) fails
    monkeypatch.setattr(create_service, "order_created_record", _fail)
    body = minimal_body(world, number="ATOM-1", items=[{"product": world.product.pk, "price": "1", "quantity": 3}])
    before = snapshot()
    member_client.raise_request_exception = False
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}

    # When an order is posted
    response = member_client.post(url(world.channel.pk), body, format="json", **headers)

    # Then it fails, and no order, item, reservation, event or key was left behind
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error.", "code": "server_error"}
    assert snapshot() == before
    assert available(world.stock) == 10

    # And once the fault is gone, the same request (and key) succeeds
    monkeypatch.undo()
    assert member_client.post(url(world.channel.pk), body, format="json", **headers).status_code == 201
    assert available(world.stock) == 7


def test_a_failure_storing_the_idempotent_response_writes_no_order(member_client, world, monkeypatch):
    # Given storing the key's response fails (it runs in the order's transaction)
    monkeypatch.setattr(create_service, "idempotency_key_complete", _fail)
    before = snapshot()
    member_client.raise_request_exception = False

    # When an order is posted with a key
    response = member_client.post(
        url(world.channel.pk), minimal_body(world, number="ATOM-2"), format="json", HTTP_IDEMPOTENCY_KEY="atomic-2"
    )

    # Then neither the order nor the key exists
    assert response.status_code == 500
    assert snapshot() == before


class _Retryable(Exception):
    pgcode = "40001"


def test_a_serialization_failure_is_retried(member_client, world, monkeypatch):
    # Given the first stock reservation attempt is aborted by a serialization failure
    real_reserve = create_service.stock_reserve
    calls = []

    def flaky_reserve(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            error = OperationalError("could not serialize access")
            error.__cause__ = _Retryable()
            raise error
        return real_reserve(**kwargs)

    monkeypatch.setattr(create_service, "stock_reserve", flaky_reserve)
    monkeypatch.setattr(omnitron_db.time, "sleep", lambda seconds: None)

    # When an order is posted
    response = member_client.post(url(world.channel.pk), minimal_body(world, number="RETRY-1"), format="json")

    # Then the transaction ran again and the order exists once
    assert response.status_code == 201, response.json()
    assert len(calls) == 2
    assert snapshot()["orders"] == 2  # the world's parent order and this one
    assert available(world.stock) == 9


def test_other_database_errors_are_not_retried(member_client, world, monkeypatch):
    calls = []

    def broken_reserve(**kwargs):
        calls.append(1)
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(create_service, "stock_reserve", broken_reserve)
    before = snapshot()
    response = member_client.post(url(world.channel.pk), minimal_body(world, number="RETRY-2"), format="json")
    assert response.status_code == 503
    assert len(calls) == 1
    assert snapshot() == before
