"""Row locks for writes to orders and their items, always taken in one order.

Every write that changes an order, its items or rows that belong to them (reservations, mappings,
cancellation plans, events) takes its locks here, first, before writing anything:

1. the orders, by pk;
2. their items, by pk;
3. stock rows, by pk (``catalog.locks``); the items' reservations, by pk, after them;
4. cancellation requests, by pk.

Two writers that take locks in the same order queue behind each other instead of deadlocking.
Orders and items are locked ``FOR NO KEY UPDATE``: it excludes other writers of the row just as
well, but not the key-share lock that inserting a row referring to it (an event, a plan) takes.
"""

from collections.abc import Iterable

from orders.models import CancellationRequest, Order, OrderItem


def _no_key(queryset):
    return queryset.select_for_update(no_key=True)


def orders_lock(*, order_ids: Iterable[int]) -> list[int]:
    """Lock the orders in pk order; return the pks of those that exist."""
    return list(_no_key(Order.objects.filter(pk__in=set(order_ids))).order_by("pk").values_list("pk", flat=True))


def order_lock(*, order_id: int, channel_ids: list[int] | None) -> Order | None:
    """Lock and read the order, or None when it does not exist or is outside ``channel_ids`` (None: any)."""
    orders = Order.objects.filter(pk=order_id)
    if channel_ids is not None:
        orders = orders.filter(channel_id__in=channel_ids)
    return _no_key(orders).first()


def order_items_lock(*, item_ids: Iterable[int], channel_ids: list[int] | None) -> dict[int, OrderItem]:
    """Lock the items' orders, then the items, each in pk order; return the items read under the
    lock by pk. Items that do not exist or are outside ``channel_ids`` (None: any) are left out."""
    visible = OrderItem.objects.filter(pk__in=set(item_ids))
    if channel_ids is not None:
        visible = visible.filter(channel_id__in=channel_ids)
    # An item never moves to another order, so reading its order before locking is safe.
    orders_lock(order_ids=visible.values_list("order_id", flat=True))
    # The orders come along (locked above): the items' representation names their number.
    return {item.pk: item for item in _no_key(visible).select_related("order").order_by("pk")}


def order_with_items_lock(*, order: Order) -> list[OrderItem]:
    """Lock every item of ``order`` (already locked by ``order_lock``) in pk order; return them."""
    return list(_no_key(OrderItem.objects.filter(order=order)).order_by("pk"))


def cancellation_request_lock(*, request_id: int, channel_id: int) -> CancellationRequest | None:
    """Lock and read the channel's cancellation request, or None when it does not exist there."""
    return _no_key(CancellationRequest.objects.filter(pk=request_id, channel_id=channel_id)).first()
