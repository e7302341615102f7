"""The audit trail: every change to an order or item is an OrderEvent — and an outbox Change.

Recording events is also where an order's and its items' changes reach the integrations outbox
(``integrations.services.changes_touch``): each touched item and its order get a new exact
``modified_date`` and a Change row in the same transaction. So record events after saving the
rows they describe, while holding their locks (``orders.locks``).
"""

import datetime
from decimal import Decimal
from typing import Any

from integrations.models import ChangeKind
from integrations.services import changes_record_created, changes_touch
from omnitron.db import rows_insert
from orders.models import EventType, Order, OrderEvent, OrderItem
from orders.statuses import OrderStatus


def json_value(value: Any) -> Any:
    """A JSON-storable copy of a field value (Decimal and dates as strings)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def actor_or_none(actor) -> Any:
    """The user to record, or None for anonymous/system changes."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def order_event_build(
    *,
    order: Order | int,
    event_type: EventType,
    item: OrderItem | int | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    actor=None,
    note: str = "",
) -> OrderEvent:
    """An unsaved event, for ``order_events_record``."""
    event = OrderEvent(
        order_id=order if isinstance(order, int) else order.pk,
        item_id=item if isinstance(item, int) or item is None else item.pk,
        event_type=event_type,
        field=field,
        old_value=json_value(old),
        new_value=json_value(new),
        actor=actor_or_none(actor),
        note=note[:500],
    )
    # Kept so that recording the event can hand the new version dates back to the caller's objects.
    if isinstance(order, Order):
        event.order = order
    if isinstance(item, OrderItem):
        event.item = item
    return event


def order_events_record(events: list[OrderEvent]) -> list[OrderEvent]:
    """Write events in one INSERT and record the orders' and items' outbox changes."""
    rows_insert(events)
    _changes_record(events)
    return events


def order_created_record(event: OrderEvent, items: list[OrderItem]) -> OrderEvent:
    """Write the ``created`` event of an order inserted in this transaction with its ``items``,
    and their outbox rows (``integrations.services.changes_record_created``): the items in pk
    order, then the order. Two INSERTs whatever the number of items."""
    rows_insert([event])
    order = event.order
    changes_record_created(
        created=[
            *((OrderItem, item.pk, item.channel_id, item.modified_date) for item in sorted(items, key=_pk)),
            (Order, order.pk, order.channel_id, order.modified_date),
        ]
    )
    return event


def _pk(obj: OrderItem) -> int:
    return obj.pk


def order_event_record(**kwargs: Any) -> OrderEvent:
    """Write one event (see ``order_event_build`` for the arguments)."""
    event = order_event_build(**kwargs)
    event.save()
    _changes_record([event])
    return event


_KIND_RANK: dict[str, int] = {ChangeKind.CHANGED: 0, ChangeKind.CANCELLED: 1, ChangeKind.CREATED: 2}


def _event_kind(event: OrderEvent) -> str:
    if event.event_type == EventType.CREATED:
        return ChangeKind.CREATED
    cancelled = event.event_type == EventType.CANCELED and event.item_id is not None
    if cancelled or (event.event_type == EventType.STATUS_CHANGED and event.new_value == OrderStatus.CANCELED):
        return ChangeKind.CANCELLED
    return ChangeKind.CHANGED


def _changes_record(events: list[OrderEvent]) -> None:
    """Outbox changes for the events' items and orders (an item change is a change of its order)."""
    if not events:
        return
    item_kinds: dict[int, str] = {}
    order_kinds: dict[int, str] = {}
    created_orders = []
    for event in events:
        kind = _event_kind(event)
        target = item_kinds if event.item_id is not None else order_kinds
        key = event.item_id if event.item_id is not None else event.order_id
        previous = target.get(key)
        if _KIND_RANK[kind] > (_KIND_RANK[previous] if previous is not None else -1):
            target[key] = kind
        order_kinds.setdefault(event.order_id, ChangeKind.CHANGED)
        if kind == ChangeKind.CREATED and event.item_id is None:
            created_orders.append(event.order_id)
    if created_orders:
        for item_id in OrderItem.objects.filter(order_id__in=created_orders).values_list("pk", flat=True):
            item_kinds[item_id] = ChangeKind.CREATED
    item_versions = changes_touch(model=OrderItem, kinds=item_kinds)
    order_versions = changes_touch(model=Order, kinds=order_kinds)
    order_field, item_field = OrderEvent._meta.get_field("order"), OrderEvent._meta.get_field("item")
    for event in events:
        if order_field.is_cached(event) and event.order_id in order_versions:
            event.order.modified_date = order_versions[event.order_id]
        if item_field.is_cached(event) and event.item is not None and event.item_id in item_versions:
            event.item.modified_date = item_versions[event.item_id]
