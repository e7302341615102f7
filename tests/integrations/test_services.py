"""Services of the integrations app: exact versions, the outbox, batch effects under concurrency,
the stale-batch sweep."""

import threading
import time
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from integrations.models import BatchRequest, Change, IntegrationAction
from integrations.services import (
    ChangeRow,
    batch_request_create,
    batch_request_update,
    changes_record,
    changes_record_created,
    changes_touch,
    version_date_next,
)
from orders.models import Order, OrderItem
from orders.services.erp import order_mark_sent
from tests.factories import OrderFactory, OrderItemFactory
from tests.integrations.conftest import ChannelApp, ia_of, order_change, order_object

T0 = datetime(2030, 1, 1, 12, 0, 0, 123456, tzinfo=UTC)
US = timedelta(microseconds=1)


def order_changes(order: Order) -> list[tuple[str, datetime]]:
    return list(
        Change.objects.filter(content_type=ContentType.objects.get_for_model(Order), object_id=order.pk)
        .order_by("id")
        .values_list("kind", "version_date")
    )


@pytest.mark.parametrize(
    "current, last, kind, expected",
    [
        (T0, None, "created", T0),  # a new row keeps its value
        (T0 - US, None, "changed", T0),  # a row older than now moves to now
        (T0 + US, T0, "changed", T0 + US),  # written past the last version: kept
        (T0, T0, "changed", T0 + US),  # the same microsecond: one more
        (T0 - US, T0, "changed", T0 + US),  # behind the last version: one past it
    ],
)
def test_version_date_next_is_strictly_after_the_last_version(current, last, kind, expected):
    assert version_date_next(current=current, last=last, kind=kind, now=T0) == expected


@pytest.mark.django_db
def test_two_changes_in_the_same_microsecond_get_two_versions(monkeypatch, channel):
    order = OrderFactory(channel=channel)
    monkeypatch.setattr(timezone, "now", lambda: T0)

    order_change(order)
    order_change(order)

    assert order_changes(order) == [("changed", T0), ("changed", T0 + US)]
    assert Order.objects.get(pk=order.pk).modified_date == T0 + US


@pytest.mark.django_db
def test_a_client_that_read_the_first_of_two_same_microsecond_versions_is_offered_the_second(
    monkeypatch, member_client, channel
):
    app = ChannelApp(member_client, channel)
    order = OrderFactory(channel=channel)
    app.sync([order_object(order, remote_id="R")])
    monkeypatch.setattr(timezone, "now", lambda: T0)
    order_change(order)
    first_version = Order.objects.get(pk=order.pk).modified_date
    order_change(order)
    monkeypatch.undo()

    app.sync([order_object(order, version_date=first_version.isoformat())])
    assert app.updates() == [order.pk]

    app.sync([order_object(order)])
    assert app.updates() == []


@pytest.mark.django_db
def test_an_item_change_records_the_item_and_its_order(channel):
    order = OrderFactory(channel=channel)
    item = OrderItemFactory(order=order)
    from orders.services.items import order_item_update

    order_item_update(item_id=item.pk, data={"tracking_number": "T-1"}, actor=None, channel_ids=None)

    rows = list(Change.objects.order_by("id").values_list("content_type__model", "object_id", "kind", "channel_id"))
    assert rows == [("orderitem", item.pk, "changed", channel.pk), ("order", order.pk, "changed", channel.pk)]
    item.refresh_from_db()
    order.refresh_from_db()
    assert Change.objects.get(object_id=item.pk, content_type__model="orderitem").version_date == item.modified_date
    assert Change.objects.get(object_id=order.pk, content_type__model="order").version_date == order.modified_date


@pytest.mark.django_db
def test_changes_record_runs_two_statements_whatever_the_number_of_rows(channel, django_assert_num_queries):
    orders = [OrderFactory(channel=channel) for _ in range(5)]
    ContentType.objects.get_for_model(Order)  # cached

    for count in (1, 5):
        with transaction.atomic(), django_assert_num_queries(2):
            changes_record(
                model=Order,
                changes=[ChangeRow(o.pk, channel.pk, o.modified_date, "changed") for o in orders[:count]],
            )
    assert Change.objects.count() == 6


@pytest.mark.django_db
def test_changes_record_created_writes_the_rows_of_several_models_in_one_statement(channel, django_assert_num_queries):
    order = OrderFactory(channel=channel)
    items = [OrderItemFactory(order=order) for _ in range(2)]
    ContentType.objects.get_for_models(Order, OrderItem)  # cached

    with transaction.atomic(), django_assert_num_queries(1):
        changes_record_created(
            created=[
                (OrderItem, items[1].pk, channel.pk, items[1].modified_date),
                (Order, order.pk, channel.pk, order.modified_date),
                (OrderItem, items[0].pk, None, T0),
            ]
        )

    rows = list(
        Change.objects.order_by("id").values_list(
            "content_type__model", "object_id", "kind", "channel_id", "version_date"
        )
    )
    assert rows == [
        ("orderitem", items[1].pk, "created", channel.pk, items[1].modified_date),
        ("order", order.pk, "created", channel.pk, order.modified_date),
        ("orderitem", items[0].pk, "created", None, T0),
    ]


@pytest.mark.django_db
def test_changes_record_moves_pending_seq_of_every_channels_action(channel, other_channel):
    order = OrderFactory(channel=channel)
    ours = IntegrationAction.objects.create(
        channel=channel, content_type=ContentType.objects.get_for_model(Order), object_id=order.pk
    )

    changes_touch(model=Order, kinds={order.pk: "changed"})

    ours.refresh_from_db()
    assert (ours.pending_seq, ours.synced_seq) == (Change.objects.get().pk, 0)


@pytest.mark.django_db
def test_the_stale_sweep_fails_old_open_batches_and_releases_their_objects(channel):
    order = OrderFactory(channel=channel)
    stale, fresh, done = (batch_request_create(channel_id=channel.pk) for _ in range(3))
    batch_request_update(
        batch_id=stale.pk,
        channel_id=channel.pk,
        status="commit",
        objects=[_object(order)],
        content_type=ContentType.objects.get_for_model(Order),
    )
    batch_request_update(batch_id=done.pk, channel_id=channel.pk, status="done", objects=[])
    BatchRequest.objects.filter(pk__in=[stale.pk, done.pk]).update(modified_date=timezone.now() - timedelta(hours=3))
    out = StringIO()

    call_command("fail_stale_batches", "--minutes", "120", stdout=out)

    assert out.getvalue() == f"Failed 1 stale batch request(s): {stale.pk}\n"
    assert dict(BatchRequest.objects.values_list("pk", "status")) == {
        stale.pk: "fail",
        fresh.pk: "initialized",
        done.pk: "done",
    }
    assert ia_of(order, channel).status is None


@pytest.mark.django_db
def test_the_stale_sweep_reads_its_timeout_from_settings(settings, channel):
    settings.INTEGRATIONS_BATCH_STALE_MINUTES = 5
    batch = batch_request_create(channel_id=channel.pk)
    BatchRequest.objects.filter(pk=batch.pk).update(modified_date=timezone.now() - timedelta(minutes=4))
    out = StringIO()

    call_command("fail_stale_batches", stdout=out)

    assert out.getvalue() == "Failed 0 stale batch request(s).\n"
    assert BatchRequest.objects.get().status == "initialized"


def _object(order: Order):
    from integrations.services import BatchObject

    order.refresh_from_db()
    return BatchObject(order.pk, ContentType.objects.get_for_model(Order).pk, order.modified_date, "R", None, {})


# --- PostgreSQL: real transactions racing --------------------------------------------------------


def _in_thread(work, errors: list):
    def run():
        try:
            work()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["change", "commit"])
def test_a_change_committing_while_a_batch_commits_is_offered_exactly_once_after_it(member_client, channel, first):
    """A change and a batch commit of the same order run in two transactions at once; whichever
    holds its locks first, the change is offered once after the batch is done, then never again."""
    app = ChannelApp(member_client, channel)
    order = OrderFactory(channel=channel)
    app.sync([order_object(order, remote_id="R")])
    order_change(order)
    [offered] = app.updates()
    read_version = Order.objects.get(pk=offered).modified_date  # what the channel app read
    batch = app.start()
    holding = threading.Barrier(2)
    errors: list = []
    order_ct = ContentType.objects.get_for_model(Order)

    def change():
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if first == "change":
                order_mark_sent(order=locked, is_send=not locked.is_send, actor=None)
                holding.wait()
                time.sleep(0.3)  # the commit is now waiting for this transaction
            else:
                holding.wait()
                order_mark_sent(order=locked, is_send=not locked.is_send, actor=None)

    def commit():
        from integrations.services import BatchObject

        item = BatchObject(order.pk, order_ct.pk, read_version, None, None, {})
        with transaction.atomic():
            if first == "commit":
                batch_request_update(
                    batch_id=batch["pk"], channel_id=channel.pk, status="commit", objects=[item], content_type=order_ct
                )
                holding.wait()
                time.sleep(0.3)  # the change is now waiting for the integration action's lock
            else:
                holding.wait()
                batch_request_update(
                    batch_id=batch["pk"], channel_id=channel.pk, status="commit", objects=[item], content_type=order_ct
                )

    threads = [_in_thread(change, errors), _in_thread(commit, errors)]
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert app.updates() == []  # processing in the open batch

    app.done(batch, [])

    assert app.updates() == [order.pk]
    app.sync([order_object(order)])
    assert app.updates() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_change_stream_never_passes_a_transaction_still_in_flight(member_client, channel):
    """A change written by a transaction still open holds back later commits in the stream, so a
    cursor can never move past it."""
    slow_order, quick_order = OrderFactory(channel=channel), OrderFactory(channel=channel)
    url = f"/api/v1/channel/{channel.pk}/changes/"
    written, release = threading.Event(), threading.Event()
    errors: list = []

    def slow():
        with transaction.atomic():
            order_change(slow_order)
            written.set()
            release.wait(timeout=30)

    thread = _in_thread(slow, errors)
    written.wait(timeout=30)
    order_change(quick_order)  # commits after the slow transaction began writing

    held = member_client.get(url).json()
    release.set()
    thread.join(timeout=30)
    after = member_client.get(url).json()
    deadline = time.monotonic() + 30
    while not after["results"] and time.monotonic() < deadline:  # other databases' transactions on the server
        time.sleep(0.2)
        after = member_client.get(url).json()

    assert errors == []
    assert (held["results"], held["cursor"], held["next"]) == ([], None, None)
    assert [row["object_id"] for row in after["results"]] == [slow_order.pk, quick_order.pk]
    assert connection.vendor == "postgresql"
