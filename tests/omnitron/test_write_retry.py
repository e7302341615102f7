"""Writes aborted by PostgreSQL for a deadlock or serialization failure run again a bounded number
of times; one aborted every time answers 503 ``write_conflict`` with nothing written."""

import pytest
from django.db import OperationalError, connection, transaction

from omnitron.db import WRITE_ATTEMPTS, atomic_with_retry, is_retryable
from omnitron.errors import WriteConflictError
from orders.models import OrderEvent, OrderItem
from orders.services import items as item_services
from tests.conftest import client_for
from tests.factories import OrderItemFactory, UserFactory

WRITE_CONFLICT = {
    "detail": "Concurrent writes to the same rows collided; nothing was written; retry the request.",
    "code": "write_conflict",
}


class DeadlockCause(Exception):
    """Stands in for the driver's error: ``is_retryable`` reads only its SQLSTATE."""

    pgcode = "40P01"


def aborted(pgcode: str = "40P01") -> OperationalError:
    error = OperationalError("deadlock detected")
    cause = DeadlockCause()
    cause.pgcode = pgcode
    error.__cause__ = cause
    return error


def raise_deadlock() -> None:
    """Make PostgreSQL itself abort the statement with SQLSTATE 40P01 (deadlock_detected)."""
    with connection.cursor() as cursor:
        cursor.execute("DO $$ BEGIN RAISE EXCEPTION 'simulated deadlock' USING ERRCODE = '40P01'; END $$")


def deadlock_after_locking(monkeypatch, *, times: int) -> list[int]:
    """Make the first ``times`` item writes lock their rows and then be aborted by PostgreSQL with
    deadlock_detected; returns the list the attempts are counted in."""
    lock = item_services.order_items_lock
    attempts: list[int] = []

    def lock_then_deadlock(**kwargs):
        attempts.append(1)
        locked = lock(**kwargs)
        if len(attempts) <= times:
            raise_deadlock()
        return locked

    monkeypatch.setattr(item_services, "order_items_lock", lock_then_deadlock)
    return attempts


@pytest.mark.django_db(transaction=True)
def test_atomic_with_retry_runs_again_after_a_deadlock_and_keeps_only_the_last_run(channel):
    # Given a write whose first two runs are aborted by a deadlock after writing an event
    item = OrderItemFactory(order__channel=channel)
    runs = []

    def work():
        runs.append(len(runs) + 1)
        OrderEvent.objects.create(order=item.order, item=item, event_type="field_changed", note=f"run {len(runs)}")
        if len(runs) < 3:
            raise aborted()
        return "done"

    # When it runs with retries
    result = atomic_with_retry(work, base_delay=0)

    # Then it ran three times and only the third run's write is stored
    assert result == "done"
    assert runs == [1, 2, 3]
    assert list(OrderEvent.objects.filter(order=item.order).values_list("note", flat=True)) == ["run 3"]


@pytest.mark.django_db(transaction=True)
def test_atomic_with_retry_raises_write_conflict_after_the_last_attempt_and_writes_nothing(channel):
    # Given a write that is aborted by a deadlock every time
    item = OrderItemFactory(order__channel=channel)
    runs = []

    def work():
        runs.append(1)
        OrderEvent.objects.create(order=item.order, item=item, event_type="field_changed")
        raise aborted("40001")

    # When it runs with retries, then it gives up with write_conflict after WRITE_ATTEMPTS runs
    with pytest.raises(WriteConflictError) as raised:
        atomic_with_retry(work, base_delay=0)
    assert len(runs) == WRITE_ATTEMPTS == 3
    assert raised.value.as_dict() == WRITE_CONFLICT
    assert (raised.value.status_code, raised.value.retry_after) == (503, 1)
    # And nothing was written
    assert OrderEvent.objects.filter(order=item.order).count() == 0


@pytest.mark.django_db(transaction=True)
def test_atomic_with_retry_does_not_retry_other_database_errors(channel):
    runs = []

    def work():
        runs.append(1)
        raise aborted("08006")  # connection failure: an outage, not a conflict

    with pytest.raises(OperationalError):
        atomic_with_retry(work, base_delay=0)
    assert runs == [1]


@pytest.mark.django_db
def test_atomic_with_retry_inside_an_outer_transaction_runs_once_and_leaves_the_retry_to_it():
    runs = []

    def work():
        runs.append(1)
        raise aborted()

    with pytest.raises(OperationalError) as raised, transaction.atomic():
        atomic_with_retry(work, base_delay=0)
    assert runs == [1]
    assert is_retryable(raised.value)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_item_patch_aborted_by_deadlocks_every_time_answers_write_conflict_and_changes_nothing(
    member_client, channel, monkeypatch
):
    # Given an item whose every write attempt PostgreSQL aborts with deadlock_detected after locking it
    item = OrderItemFactory(order__channel=channel, status="400")
    attempts = deadlock_after_locking(monkeypatch, times=WRITE_ATTEMPTS)
    before = list(OrderItem.objects.filter(pk=item.pk).values())

    # When it is PATCHed
    response = member_client.patch(f"/api/i1/order_items/{item.pk}/", {"status": "500"}, format="json")

    # Then the write ran WRITE_ATTEMPTS times and answers 503 write_conflict with Retry-After
    assert len(attempts) == WRITE_ATTEMPTS
    assert response.status_code == 503
    assert response.json() == WRITE_CONFLICT
    assert response["Retry-After"] == "1"
    # And nothing changed
    assert list(OrderItem.objects.filter(pk=item.pk).values()) == before
    assert OrderEvent.objects.filter(item=item).count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_item_patch_aborted_by_one_deadlock_is_retried_and_applied(member_client, channel, monkeypatch):
    # Given an item whose first write attempt PostgreSQL aborts with deadlock_detected
    item = OrderItemFactory(order__channel=channel, status="400")
    attempts = deadlock_after_locking(monkeypatch, times=1)

    # When it is PATCHed, then the second attempt applies it and the client never sees the conflict
    response = member_client.patch(f"/api/i1/order_items/{item.pk}/", {"status": "500"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "500"
    assert len(attempts) == 2
    assert list(OrderEvent.objects.filter(item=item, field="status").values_list("old_value", "new_value")) == [
        ("400", "500")
    ]


@pytest.mark.django_db
def test_a_conflict_inside_the_request_transaction_answers_write_conflict_not_database_unavailable(
    channel, monkeypatch
):
    # Given a write that meets a deadlock where it cannot be retried (inside an outer transaction)
    item = OrderItemFactory(order__channel=channel, status="400")
    staff = UserFactory(is_staff=True, is_superuser=True)

    def deadlock(**kwargs):
        raise aborted()

    monkeypatch.setattr(item_services, "order_items_lock", deadlock)

    # When it is PATCHed, then the answer is write_conflict, not the outage answer
    response = client_for(staff).patch(f"/api/i1/order_items/{item.pk}/", {"status": "500"}, format="json")
    assert response.status_code == 503
    assert response.json() == WRITE_CONFLICT
    assert response["Retry-After"] == "1"
    assert OrderItem.objects.get(pk=item.pk).status == "400"
