"""orders/updates/: orders with an order integration action, changed since the version last
committed, not processing in an open batch."""

import pytest

from orders.models import Order
from orders.services.items import order_item_update
from tests.factories import OrderFactory, OrderItemFactory
from tests.integrations.conftest import ChannelApp, ia_of, order_change, order_object, updates_url
from tests.query_counts import queries_per_full_page

pytestmark = pytest.mark.django_db


def synced(app: ChannelApp, *orders: Order) -> None:
    """The channel app has sent these orders (an order IA in success at their current version)."""
    app.sync([order_object(o, remote_id=f"R{o.pk}") for o in orders])


def test_an_order_is_offered_only_after_it_changed_since_it_was_sent(app, channel):
    never_linked, sent = OrderFactory(channel=channel), OrderFactory(channel=channel)
    synced(app, sent)
    assert app.updates() == []

    order_change(sent)
    order_change(never_linked)

    assert app.updates() == [sent.pk]


def test_an_item_change_is_a_change_of_its_order(app, channel, order, item):
    synced(app, order)
    before = Order.objects.get(pk=order.pk).modified_date

    order_item_update(item_id=item.pk, data={"tracking_number": "TRK-9"}, actor=None, channel_ids=None)

    assert Order.objects.get(pk=order.pk).modified_date > before
    assert app.updates() == [order.pk]


def test_a_committed_order_drops_out_until_its_batch_ends_and_is_offered_once_more_after_a_change(app, channel, order):
    synced(app, order)
    order_change(order)
    batch = app.start_committed([order_object(order)])
    assert app.updates() == []

    order_change(order)  # while the batch is open
    assert app.updates() == []
    app.done(batch, [order_object(order, version_date=ia_of(order, channel).version_date.isoformat())])

    assert app.updates() == [order.pk]
    synced(app, order)
    assert app.updates() == []


def test_an_order_whose_send_failed_is_not_offered_again_until_it_changes(app, channel, order):
    synced(app, order)
    order_change(order)
    batch = app.start_committed([order_object(order)])

    app.done(batch, [order_object(order, failed_reason_type="remote")])

    assert ia_of(order, channel).status == "error"
    assert app.updates() == []
    order_change(order)
    assert app.updates() == [order.pk]


def test_a_failed_batch_offers_its_orders_again(app, channel, order):
    synced(app, order)
    order_change(order)
    batch = app.start_committed([order_object(order)])

    app.fail(batch)

    assert app.updates() == [order.pk]


def test_another_channels_actions_do_not_count(app, channel, other_channel, member_client):
    order = OrderFactory(channel=channel)
    synced(app, order)
    order_change(order)

    assert ChannelApp(member_client, channel).updates() == [order.pk]
    assert member_client.get(updates_url(other_channel.pk)).status_code == 404


def test_the_page_envelope_counts_every_pending_order(app, channel):
    orders = [OrderFactory(channel=channel) for _ in range(3)]
    synced(app, *orders)
    for o in orders:
        order_change(o)

    first = app.client.get(updates_url(channel.pk), {"limit": 2}).json()
    second = app.client.get(updates_url(channel.pk), {"limit": 2, "page": 2}).json()

    assert (first["count"], [r["pk"] for r in first["results"]], first["previous"]) == (
        3,
        [o.pk for o in orders[:2]],
        None,
    )
    assert first["next"].endswith("page=2")
    assert (second["count"], [r["pk"] for r in second["results"]], second["next"]) == (3, [orders[2].pk], None)
    assert set(first["results"][0]) >= {"pk", "number", "modified_date"}


def test_the_query_count_does_not_grow_with_the_page(app, channel):
    orders = [OrderFactory(channel=channel) for _ in range(12)]
    for o in orders:
        OrderItemFactory(order=o)
    synced(app, *orders)
    for o in orders:
        order_change(o)

    counts = queries_per_full_page(app.client, updates_url(channel.pk), {})

    assert counts[0] == counts[1]
