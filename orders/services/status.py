"""Keeping an order's status (and cancel status) in step with its items."""

from django.db import transaction

from orders.models import CancelStatus, EventType, Order, OrderItem
from orders.services.events import order_event_record
from orders.statuses import order_status_from_items

# Order of precedence when items disagree: the least settled cancel status wins.
_CANCEL_STATUS_PRECEDENCE = [choice.value for choice in CancelStatus]


def order_cancel_status_from_items(cancel_statuses: list[str | None]) -> str | None:
    present = {value for value in cancel_statuses if value}
    if not present:
        return None
    return min(present, key=_CANCEL_STATUS_PRECEDENCE.index)


@transaction.atomic
def order_status_refresh(*, order: Order, actor=None) -> Order:
    """Recompute ``order.status`` and ``order.cancel_status`` from its items; record a change.

    One query reads the items; the order row is updated only when something changed.
    """
    rows = list(OrderItem.objects.filter(order_id=order.pk).values_list("status", "cancel_status"))
    status = order_status_from_items([row[0] for row in rows]) or order.status
    cancel_status = order_cancel_status_from_items([row[1] for row in rows])
    changed = []
    previous = order.status
    if status != order.status:
        order.status = status
        changed.append("status")
    if cancel_status != order.cancel_status:
        order.cancel_status = cancel_status
        changed.append("cancel_status")
    if changed:
        order.save(update_fields=[*changed, "modified_date"])  # before the event: it versions the saved row
    if status != previous:
        order_event_record(
            order=order, event_type=EventType.STATUS_CHANGED, field="status", old=previous, new=status, actor=actor
        )
    return order
