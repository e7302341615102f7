"""The audit trail: every change to an order or item is an OrderEvent."""

import datetime
from decimal import Decimal
from typing import Any

from omnitron.db import rows_insert
from orders.models import EventType, Order, OrderEvent, OrderItem


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
    return OrderEvent(
        order_id=order if isinstance(order, int) else order.pk,
        item_id=item if isinstance(item, int) or item is None else item.pk,
        event_type=event_type,
        field=field,
        old_value=json_value(old),
        new_value=json_value(new),
        actor=actor_or_none(actor),
        note=note[:500],
    )


def order_events_record(events: list[OrderEvent]) -> list[OrderEvent]:
    """Write events in one INSERT."""
    return rows_insert(events)


def order_event_record(**kwargs: Any) -> OrderEvent:
    """Write one event (see ``order_event_build`` for the arguments)."""
    event = order_event_build(**kwargs)
    event.save()
    return event
