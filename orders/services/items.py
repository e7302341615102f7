"""Updating order items (PATCH, bulk status updates): transitions, merges, events, side effects."""

from dataclasses import dataclass, field
from typing import Any

from catalog.models import ReleaseReason
from catalog.services import reservations_release
from omnitron.db import retried_atomic
from omnitron.errors import NotFoundError, ServiceValidationError
from orders.locks import order_items_lock
from orders.models import (
    CancellationPlan,
    CancellationPlanItem,
    CancellationPlanStatus,
    CancelStatus,
    EventType,
    Order,
    OrderEvent,
    OrderItem,
)
from orders.services.events import order_event_build, order_events_record
from orders.services.status import order_status_refresh
from orders.statuses import FINAL_STATUSES, OrderStatus, transition_error

# Fields a client may change, set as sent.
ITEM_WRITABLE_FIELDS = (
    "status", "cancel_status", "shipping_company", "shipment_code", "tracking_number", "carrier_shipping_code",
    "invoice_number", "invoice_date", "e_archive_url", "forced_refund", "estimated_delivery_date",
    "defined_tracking_url", "installment_interest_amount",
)  # fmt: skip
# Opaque references to other systems, returned as given; also writable.
OPAQUE_REFERENCE_FIELDS = (
    "datasource",
    "cancellation_reconciliation",
    "reconciliation",
    "original_stock",
    "shipping_option_group",
)
WRITABLE_FIELDS = (*ITEM_WRITABLE_FIELDS, *OPAQUE_REFERENCE_FIELDS)
# Merged: keys not sent are kept.
MERGED_FIELDS = ("extra_field",)
# Replaced as a whole.
REPLACED_FIELDS = ("attributes", "attributes_kwargs", "localized_attributes", "localized_attributes_kwargs")
# May be sent (clients send whole objects) but must equal the stored value: key -> model attribute.
IMMUTABLE_FIELDS = {
    "pk": "id",
    "order": "order_id",
    "product": "product_id",
    "price": "price",
    "price_currency": "price_currency",
    "tax_rate": "tax_rate",
    "price_list": "price_list_id",
    "stock_list": "stock_list_id",
    "is_tradable": "is_tradable",
    "retail_price": "retail_price",
    "discount_amount": "discount_amount",
    "tax_amount": "tax_amount",
    "parent": "parent_id",
    "image": "image",
    "external_status": "external_status",
    "defined_shipping_company": "defined_shipping_company",
}


@dataclass
class _Change:
    """What applying one update did to one item."""

    item: OrderItem
    fields: list[str] = field(default_factory=list)
    events: list[OrderEvent] = field(default_factory=list)
    releases: bool = False  # moved to a final status: its stock reservation is released
    refunded: bool = False


def _apply(item: OrderItem, data: dict[str, Any], actor) -> tuple[dict[str, list[str]], _Change]:
    """Check and apply ``data`` to ``item`` in memory; return (errors, change)."""
    errors: dict[str, list[str]] = {}
    change = _Change(item=item)
    for key, attribute in IMMUTABLE_FIELDS.items():
        if key in data and data[key] != getattr(item, attribute):
            errors[key] = [f"This field cannot be changed (stored value: {getattr(item, attribute)!s})."]
    if "status" in data and data["status"] != item.status:
        message = transition_error(item.status, data["status"], before_cancellation=item.status_before_cancellation)
        if message:
            errors["status"] = [message]
    if errors:
        return errors, change

    def record(name: str, old: Any, new: Any) -> None:
        change.fields.append(name)
        event_type = EventType.STATUS_CHANGED if name == "status" else EventType.FIELD_CHANGED
        change.events.append(
            order_event_build(
                order=item.order_id, item=item, event_type=event_type, field=name, old=old, new=new, actor=actor
            )
        )

    for name in (*WRITABLE_FIELDS, *REPLACED_FIELDS):
        if name in data and data[name] != getattr(item, name):
            old = getattr(item, name)
            if name == "status":
                _move_status(item, data[name], change)
            else:
                setattr(item, name, data[name])
            record(name, old, data[name])
    if "extra_field" in data:
        merged = {**(item.extra_field or {}), **data["extra_field"]}
        if merged != item.extra_field:
            old = item.extra_field
            item.extra_field = merged
            record("extra_field", old, merged)
    return errors, change


def _move_status(item: OrderItem, target: str, change: _Change) -> None:
    if target == OrderStatus.CANCELLATION_WAITING:
        item.status_before_cancellation = item.status
    elif item.status == OrderStatus.CANCELLATION_WAITING:
        item.status_before_cancellation = None
    if "status_before_cancellation" not in change.fields:
        change.fields.append("status_before_cancellation")
    item.status = target
    change.releases = target in FINAL_STATUSES
    change.refunded = target == OrderStatus.REFUNDED


def _commit(changes: list[_Change], actor) -> None:
    """Save changed items, write their events, release stock of items now final, complete refunds,
    and refresh each touched order's status."""
    events: list[OrderEvent] = []
    touched_orders: set[int] = set()
    to_release: list[int] = []
    refunded: list[OrderItem] = []
    for change in changes:
        if not change.fields:
            continue
        item = change.item
        item.save(update_fields=[*dict.fromkeys(change.fields), "modified_date"])
        events.extend(change.events)
        touched_orders.add(item.order_id)
        if change.releases and item.reservation_id:
            to_release.append(item.reservation_id)
        if change.refunded:
            refunded.append(item)
    released = set(reservations_release(reservation_ids=to_release, reason=ReleaseReason.CANCELED))
    for change in changes:
        if change.releases and change.item.reservation_id in released:
            events.append(
                order_event_build(
                    order=change.item.order_id,
                    item=change.item,
                    event_type=EventType.RESERVATION_RELEASED,
                    new=change.item.reservation_id,
                    actor=actor,
                )
            )
    events.extend(refund_requests_complete(items=refunded, actor=actor))
    order_events_record(events)
    for order in Order.objects.filter(pk__in=touched_orders).order_by("pk"):
        order_status_refresh(order=order, actor=actor)


def refund_requests_complete(*, items: list[OrderItem], actor) -> list[OrderEvent]:
    """Items that reached 600 while a refund was requested: their request completes (cancel status
    ``completed``) and so does every refund plan whose items are all refunded. Returns the events."""
    events: list[OrderEvent] = []
    waiting = [item for item in items if item.cancel_status == CancelStatus.WAITING]
    for item in waiting:
        item.cancel_status = CancelStatus.COMPLETED
        item.save(update_fields=["cancel_status", "modified_date"])
        events.append(
            order_event_build(
                order=item.order_id,
                item=item,
                event_type=EventType.REFUNDED,
                field="cancel_status",
                old=CancelStatus.WAITING,
                new=CancelStatus.COMPLETED,
                actor=actor,
            )
        )
    if items:
        plan_ids = set(
            CancellationPlanItem.objects.filter(
                order_item__in=items, plan__status=CancellationPlanStatus.WAITING
            ).values_list("plan_id", flat=True)
        )
        for plan in CancellationPlan.objects.filter(pk__in=plan_ids).order_by("pk"):
            if not plan.items.exclude(order_item__status=OrderStatus.REFUNDED).exists():
                plan.status = CancellationPlanStatus.COMPLETED
                plan.save(update_fields=["status", "modified_date"])
    return events


@retried_atomic
def order_item_update(*, item_id: int, data: dict[str, Any], actor, channel_ids: list[int] | None) -> OrderItem:
    """PATCH one item. Locks its order and the item (``orders.locks``; retried on deadlocks); raises
    NotFoundError when it is not visible in ``channel_ids`` (None: any), ServiceValidationError
    (``{"field": [...]}``) on a refused change. Setting values equal to the stored ones changes
    nothing and records nothing."""
    items = order_items_lock(item_ids=[item_id], channel_ids=channel_ids)
    if item_id not in items:
        raise NotFoundError()
    errors, change = _apply(items[item_id], data, actor)
    if errors:
        raise ServiceValidationError(errors)
    _commit([change], actor)
    return change.item


@retried_atomic
def order_items_bulk_update(*, entries: list[dict[str, Any]], actor, channel_ids: list[int] | None) -> list[OrderItem]:
    """Apply several item updates (each with its ``id``), all or nothing.

    Errors are listed per entry, ``{}`` for a valid one: ``{"orderitem_set": [{}, {"status":
    ["..."]}]}``; an id that is not visible is ``{"id": ["Not found."]}``. Entries for one item
    apply in order.
    """
    items = order_items_lock(item_ids=[entry["id"] for entry in entries], channel_ids=channel_ids)
    indexed: list[dict[str, list[str]]] = []
    changes: dict[int, _Change] = {}
    for entry in entries:
        item = items.get(entry["id"])
        if item is None:
            indexed.append({"id": ["Not found."]})
            continue
        data = {key: value for key, value in entry.items() if key != "id"}
        errors, change = _apply(item, data, actor)
        indexed.append(errors)
        if not errors:
            merged = changes.setdefault(item.pk, _Change(item=item))
            merged.fields.extend(change.fields)
            merged.events.extend(change.events)
            merged.releases = merged.releases or change.releases
            merged.refunded = merged.refunded or change.refunded
    if any(indexed):
        raise ServiceValidationError({"orderitem_set": indexed})
    _commit(list(changes.values()), actor)
    return [items[entry["id"]] for entry in entries]
