"""The ERP loop: marking orders sent, and recording the ERP's codes for items."""

from catalog.models import ReleaseReason
from catalog.services import reservations_release
from channels.models import IntegrationMapping, IntegrationType
from channels.services import integration_mapping_set
from omnitron.db import retried_atomic
from omnitron.errors import NotFoundError
from orders.locks import order_items_lock, order_lock
from orders.models import EventType, Order, OrderItem
from orders.services.events import order_event_build, order_events_record


@retried_atomic
def order_mark_sent(*, order: Order, is_send: bool, actor) -> Order:
    """Set ``is_send`` (the ERP has taken the order); records an event when it changes."""
    locked = order_lock(order_id=order.pk, channel_ids=None)
    if locked is None:
        raise NotFoundError()
    if locked.is_send != is_send:
        previous, locked.is_send = locked.is_send, is_send
        locked.save(update_fields=["is_send", "modified_date"])  # before the event: it versions the saved row
        order_events_record(
            [
                order_event_build(
                    order=locked,
                    event_type=EventType.SENT_TO_ERP,
                    field="is_send",
                    old=previous,
                    new=is_send,
                    actor=actor,
                )
            ]
        )
    return locked


@retried_atomic
def order_item_acknowledge(*, item: OrderItem, code: str, update_stock: bool, actor) -> tuple[IntegrationMapping, bool]:
    """Record the ERP's ``code`` for ``item`` and, with ``update_stock``, release its reservation
    (the ERP now counts that unit). Repeating it is harmless: the reservation is released once.
    Locks the item's order, then the item (``orders.locks``). Returns (mapping, created)."""
    locked = order_items_lock(item_ids=[item.pk], channel_ids=None)[item.pk]
    mapping, previous = integration_mapping_set(
        obj=locked, integration_type=IntegrationType.EXTERNAL_COMPANY, code=code
    )
    events = []
    if previous != code:
        events.append(
            order_event_build(
                order=locked.order_id,
                item=locked,
                event_type=EventType.MAPPING_CREATED,
                field="code",
                old=previous,
                new=code,
                actor=actor,
            )
        )
    released = update_stock and reservations_release(
        reservation_ids=[locked.reservation_id], reason=ReleaseReason.ACKNOWLEDGED
    )
    if released:
        events.append(
            order_event_build(
                order=locked.order_id,
                item=locked,
                event_type=EventType.RESERVATION_RELEASED,
                new=locked.reservation_id,
                actor=actor,
            )
        )
    order_events_record(events)
    return mapping, previous is None
