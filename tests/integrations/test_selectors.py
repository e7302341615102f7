"""Selectors of the integrations app: feed selection, content types by name, the change stream."""

import pytest
from django.contrib.contenttypes.models import ContentType

from catalog.models import Product
from integrations.models import BatchRequest, Change, IntegrationAction
from integrations.selectors import (
    ChangeCursor,
    change_stream_page,
    content_type_for,
    feed_object_count,
    feed_object_ids,
)
from orders.models import Order
from tests.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


def ia(channel, obj, **fields) -> IntegrationAction:
    return IntegrationAction.objects.create(
        channel=channel, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, **fields
    )


@pytest.mark.parametrize(
    "name, expected",
    [("order", ("orders", "order")), ("Batchrequest", ("integrations", "batchrequest")), ("nosuch", None), ("", None)],
)
def test_content_type_for_finds_unique_model_names(name, expected):
    found = content_type_for(name)

    assert ((found.app_label, found.model) if found else None) == expected


def test_updates_are_pending_actions_not_processing_by_object_id(channel, other_channel):
    pending, synced, processing, errored, foreign = (OrderFactory(channel=channel) for _ in range(5))
    ia(channel, pending, pending_seq=3, synced_seq=1, status="success")
    ia(channel, synced, pending_seq=2, synced_seq=2, status="success")
    ia(channel, processing, pending_seq=5, synced_seq=1, status="processing")
    ia(channel, errored, pending_seq=6, synced_seq=1, status="error")
    ia(other_channel, foreign, pending_seq=9, synced_seq=0, status="success")

    ids = feed_object_ids(channel_id=channel.pk, model=Order, mode="updates", limit=10)

    assert ids == [pending.pk, errored.pk]
    assert feed_object_count(channel_id=channel.pk, model=Order, mode="updates") == 2
    assert feed_object_ids(channel_id=channel.pk, model=Order, mode="updates", limit=1, offset=1) == [errored.pk]


def test_updates_can_be_narrowed_to_candidates(channel):
    first, second = OrderFactory(channel=channel), OrderFactory(channel=channel)
    for order in (first, second):
        ia(channel, order, pending_seq=2, synced_seq=1, status="success")

    ids = feed_object_ids(
        channel_id=channel.pk, model=Order, mode="updates", candidates=Order.objects.filter(pk=second.pk), limit=10
    )

    assert ids == [second.pk]


def test_inserts_are_candidates_without_a_synced_or_processing_action(channel, other_channel):
    fresh, released, sent, processing, elsewhere = (ProductFactory() for _ in range(5))
    ia(channel, released, status=None)
    ia(channel, sent, status="success")
    ia(channel, processing, status="processing")
    ia(other_channel, elsewhere, status="success")

    ids = feed_object_ids(
        channel_id=channel.pk, model=Product, mode="inserts", candidates=Product.objects.all(), limit=10
    )

    assert ids == [fresh.pk, released.pk, elsewhere.pk]


def test_inserts_need_candidates_and_modes_are_checked(channel):
    with pytest.raises(ValueError, match="inserts need candidates"):
        feed_object_ids(channel_id=channel.pk, model=Product, mode="inserts", limit=1)
    with pytest.raises(ValueError, match="unknown feed mode"):
        feed_object_ids(channel_id=channel.pk, model=Product, mode="sideways", limit=1)


def test_the_change_stream_pages_by_transaction_then_id_after_the_cursor(channel, other_channel):
    ct = ContentType.objects.get_for_model(Order)
    rows = [
        Change.objects.create(
            channel=channel,
            content_type=ct,
            object_id=1,
            kind="changed",
            version_date="2030-01-01T00:00:00Z",
            txid=txid,
        )
        for txid in (0, 0, 0)
    ]
    Change.objects.create(
        channel=other_channel, content_type=ct, object_id=2, kind="changed", version_date="2030-01-01T00:00:00Z"
    )

    first = change_stream_page(channel_id=channel.pk, after=None, limit=2)
    rest = change_stream_page(channel_id=channel.pk, after=ChangeCursor(first[-1].txid, first[-1].id), limit=2)

    assert [r.pk for r in first] == [rows[0].pk, rows[1].pk]
    assert [r.pk for r in rest] == [rows[2].pk]


@pytest.mark.parametrize("raw", ["", "1", "a-1", "1-", "-1", "1-2-3", "1-99999999999999999999", "１-2"])
def test_a_malformed_cursor_is_none(raw):
    assert ChangeCursor.parse(raw) is None


def test_a_cursor_reads_back():
    assert ChangeCursor.parse(str(ChangeCursor(7411, 90))) == ChangeCursor(7411, 90)


def test_batch_requests_keep_the_usual_manager(channel):
    BatchRequest.objects.create(channel=channel)

    assert BatchRequest.objects.get().batch_objects is None
