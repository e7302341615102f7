"""create_orders with an Idempotency-Key: replay, 422 on another body, 409 while in flight, 24 hours."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.models import IdempotencyKey, IdempotencyState, Order
from orders.services.idempotency import IN_FLIGHT_TIMEOUT, idempotency_keys_purge, idempotency_request_hash
from tests.conftest import client_for
from tests.factories import ChannelMembershipFactory, UserFactory
from tests.orders.create_orders_support import available, minimal_body, snapshot, url, world_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(channel):
    return world_for(channel)


def post(client, world, body, key=None, query=""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url(world.channel.pk) + query, body, format="json", **headers)


def test_a_retry_with_the_same_key_and_body_replays_the_first_response(member_client, member, world):
    # Given an order created with a key
    body = minimal_body(world, number="IK-1")
    first = post(member_client, world, body, key="key-1")
    assert first.status_code == 201, first.json()
    assert "Idempotent-Replayed" not in first.headers
    before = snapshot()

    # When the same request is sent again
    again = post(member_client, world, body, key="key-1")

    # Then the first response is replayed and nothing else is written
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert snapshot() == before
    assert Order.objects.filter(number="IK-1").count() == 1
    # And the key holds the response, stored with the order
    key = IdempotencyKey.objects.get(key="key-1")
    assert (key.user_id, key.channel_id, key.state, key.response_status) == (
        member.pk,
        world.channel.pk,
        IdempotencyState.COMPLETED,
        201,
    )
    assert key.response_body == first.json()
    assert key.request_hash == idempotency_request_hash(body)
    assert (
        timezone.now() + datetime.timedelta(hours=23) < key.expires_at <= timezone.now() + datetime.timedelta(hours=24)
    )


def test_the_same_body_with_keys_in_another_order_is_the_same_request(member_client, world):
    body = minimal_body(world, number="IK-2")
    assert post(member_client, world, body, key="key-2").status_code == 201
    reordered = {"order_item": body["order_item"], "order": dict(reversed(list(body["order"].items())))}
    again = post(member_client, world, reordered, key="key-2")
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")


def test_the_same_key_with_another_body_is_refused_with_422(member_client, world):
    # Given a key used for one order
    assert post(member_client, world, minimal_body(world, number="IK-3"), key="key-3").status_code == 201
    before = snapshot()

    # When it is sent with a different body
    response = post(member_client, world, minimal_body(world, number="IK-3b"), key="key-3")

    # Then it is refused and nothing is written
    assert response.status_code == 422
    assert response.json() == {
        "detail": "This Idempotency-Key was used with a different request body; "
        "send a new key for a different request.",
        "code": "idempotency_key_reused",
    }
    assert snapshot() == before


def test_the_same_key_while_the_first_request_runs_is_refused_with_409(member, member_client, world):
    # Given a request with this key and body still in flight
    body = minimal_body(world, number="IK-4")
    IdempotencyKey.objects.create(
        user=member,
        channel=world.channel,
        key="key-4",
        request_hash=idempotency_request_hash(body),
        expires_at=timezone.now() + datetime.timedelta(hours=24),
    )
    before = snapshot()

    # When the same request arrives
    response = post(member_client, world, body, key="key-4")

    # Then it is refused for now, and nothing is written
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A request with this Idempotency-Key is still being processed; retry shortly.",
        "code": "idempotency_key_in_flight",
    }
    assert snapshot() == before


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over(member, member_client, world):
    # Given an in-flight key that nobody has touched for longer than the in-flight timeout
    body = minimal_body(world, number="IK-5")
    abandoned = IdempotencyKey.objects.create(
        user=member,
        channel=world.channel,
        key="key-5",
        request_hash=idempotency_request_hash(body),
        expires_at=timezone.now() + datetime.timedelta(hours=24),
    )
    IdempotencyKey.objects.filter(pk=abandoned.pk).update(
        modified_date=timezone.now() - IN_FLIGHT_TIMEOUT - datetime.timedelta(seconds=1)
    )

    # When the request is retried
    response = post(member_client, world, body, key="key-5")

    # Then it runs, on the same key row
    assert response.status_code == 201, response.json()
    key = IdempotencyKey.objects.get()
    assert (key.pk, key.state, key.response_body["pk"]) == (
        abandoned.pk,
        IdempotencyState.COMPLETED,
        response.json()["pk"],
    )


def test_an_expired_key_is_ignored_and_replaced(member, member_client, world):
    # Given a key that completed more than 24 hours ago for another body
    IdempotencyKey.objects.create(
        user=member,
        channel=world.channel,
        key="key-6",
        request_hash="0" * 64,
        state=IdempotencyState.COMPLETED,
        response_status=201,
        response_body={"pk": 1},
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    # When it is used again with a new body
    response = post(member_client, world, minimal_body(world, number="IK-6"), key="key-6")

    # Then the new request runs and takes the key over
    assert response.status_code == 201, response.json()
    assert "Idempotent-Replayed" not in response.headers
    key = IdempotencyKey.objects.get()
    assert (key.request_hash, key.response_body) == (
        idempotency_request_hash(minimal_body(world, number="IK-6")),
        response.json(),
    )


def test_a_refused_request_keeps_no_key_so_a_retry_runs_again(member_client, world):
    # Given a request refused for want of stock
    body = minimal_body(world, number="IK-7", items=[{"product": world.product.pk, "price": "1", "quantity": 12}])
    before = snapshot()
    refused = post(member_client, world, body, key="key-7")
    assert (refused.status_code, refused.json()["code"]) == (406, "insufficient_stock")
    assert snapshot() == before

    # When stock arrives and the same request is retried with the same key
    world.stock.stock = 12
    world.stock.save()
    retried = post(member_client, world, body, key="key-7")

    # Then it runs again and succeeds
    assert retried.status_code == 201, retried.json()
    assert "Idempotent-Replayed" not in retried.headers
    assert available(world.stock) == 0


def test_keys_are_per_user_and_channel(member_client, world):
    # Given a key used by one member
    assert post(member_client, world, minimal_body(world, number="IK-8"), key="shared").status_code == 201

    # When another member of the channel uses the same key for another order
    other = UserFactory()
    ChannelMembershipFactory(channel=world.channel, user=other)
    other.user_permissions.set(world.channel.memberships.first().user.user_permissions.all())
    response = post(client_for(other), world, minimal_body(world, number="IK-8b"), key="shared")

    # Then it is a different key
    assert response.status_code == 201, response.json()
    assert IdempotencyKey.objects.filter(key="shared").count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "ünicode"])
def test_an_unusable_key_is_refused_with_400(member_client, world, key):
    before = snapshot()
    response = post(member_client, world, minimal_body(world, number="IK-9"), key=key)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID is a good choice).",
        "code": "idempotency_key_invalid",
    }
    assert snapshot() == before


def test_a_dry_run_ignores_the_key(member_client, world):
    before = snapshot()
    response = post(member_client, world, minimal_body(world, number="IK-10"), key="key-10", query="?dry_run=true")
    assert response.status_code == 200
    assert snapshot() == before


def test_a_shape_error_keeps_no_key(member_client, world):
    body = minimal_body(world, number="IK-11")
    body["order"]["amount"] = "lots"
    before = snapshot()
    assert post(member_client, world, body, key="key-11").status_code == 400
    assert snapshot() == before


def test_expired_keys_are_purged_and_live_ones_kept(member, channel):
    # Given one expired and one live key
    now = timezone.now()
    for key, expires in (("old", now - datetime.timedelta(minutes=1)), ("live", now + datetime.timedelta(hours=1))):
        IdempotencyKey.objects.create(user=member, channel=channel, key=key, request_hash="0" * 64, expires_at=expires)

    # When the purge runs (service, then the management command)
    assert idempotency_keys_purge(batch_size=1) == 1
    call_command("purge_idempotency_keys")

    # Then only the live key is left
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["live"]


def test_a_replay_does_not_need_the_stock_any_more(member_client, world):
    # Given the last unit sold with a key
    world.stock.stock = 1
    world.stock.save()
    body = minimal_body(world, number="IK-12")
    assert post(member_client, world, body, key="key-12").status_code == 201

    # When the same request is retried
    again = post(member_client, world, body, key="key-12")

    # Then it replays the success instead of refusing for stock
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
