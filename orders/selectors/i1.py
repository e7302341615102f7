"""Reads for the integration (i1) order endpoints: order pages and their nested data.

A page costs one query for the orders plus one per nested kind (customers, addresses, items,
channels), whatever its size; the nested queries are compiled once per process (``PreparedValues``).
"""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from channels.models import Address, Channel, Customer
from omnitron.prepared import PreparedValues
from orders.models import Order, OrderEvent, OrderItem
from orders.selectors import within_channels
from orders.shapes import ADDRESS_I1_COLUMNS, CHANNEL_I1_COLUMNS, CUSTOMER_I1, ORDER_I1, ORDER_ITEM_I1, OrdersI1Related

# Set up once (``values()`` over 35 columns is costly to build); every use clones it, none evaluates it.
_ORDER_ROWS = Order.objects.order_by("id").values(*ORDER_I1.columns)


def order_rows(*, channel_ids: list[int] | None) -> QuerySet:
    """Orders of ``channel_ids`` (None: every channel) as ``values()`` rows, oldest first."""
    if channel_ids is None:
        return _ORDER_ROWS.all()
    return _ORDER_ROWS.filter(channel_id__in=channel_ids)


def order_for_user(*, order_id: int, channel_ids: list[int] | None) -> Order | None:
    return within_channels(Order.objects.filter(pk=order_id), channel_ids).first()


_CUSTOMERS = PreparedValues(lambda ids: Customer.objects.filter(pk__in=ids).values(*CUSTOMER_I1.columns), kinds=("in",))
_ADDRESSES = PreparedValues(lambda ids: Address.objects.filter(pk__in=ids).values(*ADDRESS_I1_COLUMNS), kinds=("in",))
_ITEMS = PreparedValues(
    lambda ids: OrderItem.objects.filter(order_id__in=ids).order_by("order_id", "id").values(*ORDER_ITEM_I1.columns),
    kinds=("in",),
)
_CHANNELS = PreparedValues(lambda ids: Channel.objects.filter(pk__in=ids).values(*CHANNEL_I1_COLUMNS), kinds=("in",))


def orders_i1_related(rows: list[dict[str, Any]]) -> OrdersI1Related:
    """What a page of order rows refers to: customers, addresses, items, channels (four queries;
    none for an empty page)."""
    if not rows:
        return OrdersI1Related()
    items: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in _ITEMS.rows({row["id"] for row in rows}):
        items[item["order_id"]].append(item)
    address_ids = {row[key] for row in rows for key in ("shipping_address_id", "billing_address_id")}
    return OrdersI1Related(
        customers=_by_id(_CUSTOMERS, {row["customer_id"] for row in rows}),
        addresses=_by_id(_ADDRESSES, address_ids),
        items=dict(items),
        channels=_by_id(_CHANNELS, {row["channel_id"] for row in rows}),
    )


def _by_id(query: PreparedValues, ids: set[int]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in query.rows(ids)}


def order_events(*, order_id: int) -> QuerySet[OrderEvent]:
    """The order's audit trail, oldest first."""
    return OrderEvent.objects.filter(order_id=order_id).select_related("actor").order_by("id")
