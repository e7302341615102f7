"""Cancelling orders and items, and requesting refunds (``POST .../orders/{pk}/cancel/``)."""

from decimal import Decimal

from omnitron.db import retried_atomic
from omnitron.errors import NotFoundError, ServiceValidationError
from orders.locks import order_lock, order_with_items_lock
from orders.models import (
    CancellationPlan,
    CancellationPlanItem,
    CancellationPlanStatus,
    CancellationReason,
    CancellationType,
    CancelStatus,
    EventType,
    Order,
    OrderItem,
)
from orders.services.events import order_event_record
from orders.services.items import order_items_bulk_update
from orders.statuses import FINAL_STATUSES, OrderStatus

# A request in one of these states is still open: the item cannot be asked to cancel again.
OPEN_CANCEL_STATUSES = frozenset(
    {CancelStatus.WAITING, CancelStatus.CONFIRMATION_WAITING, CancelStatus.CONFIRMED, CancelStatus.APPROVED,
     CancelStatus.WAITING_FOR_PAYMENT, CancelStatus.MANUEL_REFUND_NEED}
)  # fmt: skip


def _targets(order: Order, items: list[OrderItem], *, is_all: bool, cancel_items: list[int]) -> list[OrderItem]:
    by_id = {item.pk: item for item in items}
    if is_all:
        targets = [
            item
            for item in items
            if item.status not in FINAL_STATUSES
            and item.cancel_status not in OPEN_CANCEL_STATUSES
            and item.status != OrderStatus.CANCELLATION_WAITING
        ]
        if not targets:
            raise ServiceValidationError({"is_all": ["No item of this order can be cancelled or refunded any more."]})
        return targets
    foreign = [pk for pk in dict.fromkeys(cancel_items) if pk not in by_id]
    if foreign:
        raise ServiceValidationError(
            {"cancel_items": [f"Items {', '.join(map(str, foreign))} do not belong to order {order.number}."]}
        )
    targets = [by_id[pk] for pk in dict.fromkeys(cancel_items)]
    errors = []
    for item in targets:
        if item.status in FINAL_STATUSES:
            errors.append(f"Item {item.pk} is already final ({item.status}).")
        elif item.cancel_status in OPEN_CANCEL_STATUSES or item.status == OrderStatus.CANCELLATION_WAITING:
            errors.append(f"Item {item.pk} is already waiting for cancellation.")
    if errors:
        raise ServiceValidationError({"cancel_items": errors})
    return targets


def _fallback_reason_id(order: Order) -> int:
    """The reason for an item sent with a ``null`` reason: the channel's ``conf.cancellation_reason_id``,
    else the first active reason (by ``sort_order``, then id)."""
    configured = (order.channel.conf or {}).get("cancellation_reason_id")
    if isinstance(configured, int) and not isinstance(configured, bool):
        return configured
    if isinstance(configured, str) and configured.isascii() and configured.isdigit():
        return int(configured)
    first = CancellationReason.objects.filter(is_active=True).order_by("sort_order", "id").values_list("pk", flat=True)
    reason_id = first.first()
    if reason_id is None:
        raise ServiceValidationError({"reasons": ["A reason is null and no default cancellation reason exists."]})
    return reason_id


def _reasons(targets: list[OrderItem], reasons: dict[int, int]) -> dict[int, CancellationReason]:
    target_ids = {item.pk for item in targets}
    errors = []
    missing = sorted(target_ids - set(reasons))
    if missing:
        errors.append(f"A reason is required for items {', '.join(map(str, missing))}.")
    extra = sorted(set(reasons) - target_ids)
    if extra:
        errors.append(f"Reasons were given for items that are not being cancelled: {', '.join(map(str, extra))}.")
    known = CancellationReason.objects.filter(pk__in=set(reasons.values()), is_active=True).in_bulk()
    unknown = sorted({reason for reason in reasons.values() if reason not in known})
    if unknown:
        errors.append(f"Unknown cancellation reasons: {', '.join(map(str, unknown))}.")
    if errors:
        raise ServiceValidationError({"reasons": errors})
    return {item_id: known[reason_id] for item_id, reason_id in reasons.items()}


@retried_atomic
def order_cancel(
    *,
    order_id: int,
    channel_ids: list[int] | None,
    actor,
    is_all: bool = False,
    cancel_items: list[int] | None = None,
    reasons: dict[int, int] | None = None,
    forced_refund_amount: Decimal | None = None,
    is_cargo_refund: bool = False,
    refund_invoice_number: str | None = None,
    default_reason: int | None = None,
) -> list[CancellationPlan]:
    """Cancel items below 500 at once (status 100, cancel status ``completed``, stock released) and
    turn items at 500 or above into a refund request (cancel status ``waiting``, completed when the
    item reaches 600). Writes one CancellationPlan per kind. Locks the order, then its items
    (``orders.locks``); retried on deadlocks. ``default_reason`` applies to every item without an
    entry in ``reasons`` (used by the admin);
    a ``None`` reason takes the channel's default (``_fallback_reason_id``).

    Refuses (400) overlapping or missing parameters, missing or unknown reasons, items of another
    order and items already cancelled or waiting for cancellation — so calling it twice changes
    nothing the second time and never releases stock twice.
    """
    cancel_items = cancel_items or []
    if is_all and cancel_items:
        raise ServiceValidationError({"non_field_errors": ["Send either is_all or cancel_items, not both."]})
    if not is_all and not cancel_items:
        raise ServiceValidationError({"non_field_errors": ["Send is_all: true or a non-empty cancel_items list."]})
    order = order_lock(order_id=order_id, channel_ids=channel_ids)
    if order is None:
        raise NotFoundError()
    items = order_with_items_lock(order=order)
    targets = _targets(order, items, is_all=is_all, cancel_items=cancel_items)
    if default_reason is not None:
        reasons = {item.pk: default_reason for item in targets} | (reasons or {})
    if reasons and None in reasons.values():
        fallback = _fallback_reason_id(order)
        reasons = {item_id: fallback if reason is None else reason for item_id, reason in reasons.items()}
    reason_by_item = _reasons(targets, reasons or {})

    cancel_now = [item for item in targets if int(item.status) < 500]
    refund = [item for item in targets if int(item.status) >= 500]
    order_items_bulk_update(
        entries=[
            {"id": item.pk, "status": OrderStatus.CANCELED, "cancel_status": CancelStatus.COMPLETED}
            for item in cancel_now
        ]
        + [{"id": item.pk, "cancel_status": CancelStatus.WAITING} for item in refund],
        actor=actor,
        channel_ids=None,
    )
    plans = []
    shipping_to_refund = order.shipping_amount if is_cargo_refund else Decimal("0")
    for kind, group in ((CancellationType.CANCEL, cancel_now), (CancellationType.REFUND, refund)):
        if not group:
            continue
        amount = sum((item.price - item.discount_amount for item in group), shipping_to_refund)
        shipping_to_refund = Decimal("0")  # the shipping is refunded once, with the first plan
        plan = CancellationPlan.objects.create(
            order=order,
            cancellation_type=kind,
            status=CancellationPlanStatus.COMPLETED
            if kind == CancellationType.CANCEL
            else CancellationPlanStatus.WAITING,
            is_all=is_all,
            refund_amount=amount,
            forced_refund_amount=forced_refund_amount,
            is_cargo_refund=is_cargo_refund,
            refund_invoice_number=refund_invoice_number,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        CancellationPlanItem.objects.bulk_create(
            [CancellationPlanItem(plan=plan, order_item=item, reason=reason_by_item[item.pk]) for item in group]
        )
        plans.append(plan)
        event_type = EventType.CANCELED if kind == CancellationType.CANCEL else EventType.CANCEL_REQUESTED
        order_event_record(
            order=order,
            event_type=event_type,
            field="cancellation_plan",
            new=plan.pk,
            actor=actor,
            note=f"{kind} of items {', '.join(str(item.pk) for item in group)}",
        )
    return plans
