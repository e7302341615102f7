"""Creating an order (create_orders): plan, then one transaction that reserves and writes.

- ``plan``: the request checked against the database (one statement, ``orders.queries``) into
  the rows to write, or the refusal;
- ``write``: the order, its unit rows and their events, one statement each;
- ``order_create`` here: the one service the view calls, with the transaction in plain sight.

The stored response of an Idempotency-Key must commit with the order, so the 201 body is built
here, by the same pure builder the view uses (``orders.serializers.create.order_created_json``);
nothing is called back.
"""

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from django.db import transaction

from catalog.services import stock_reserve, stock_reserve_check
from omnitron.db import atomic_with_retry
from orders.exceptions import OrderNumberExistsError
from orders.models import Order, OrderItem
from orders.serializers.create import order_created_json
from orders.services.create.plan import OrderPlan, order_plan
from orders.services.create.write import (
    created_event,
    order_insert,
    order_items_build,
    order_items_insert,
    oversold_events,
)
from orders.services.events import order_created_record, order_events_record
from orders.services.idempotency import (
    IdempotencyClaim,
    IdempotencyReplay,
    idempotency_key_claim,
    idempotency_key_complete,
    idempotency_key_release,
)


@dataclass(frozen=True)
class IdempotencyRequest:
    """The request's ``Idempotency-Key`` and the hash of its body (``idempotency_request_hash``)."""

    key: str
    request_hash: str


@dataclass
class OrderCreated:
    """What ``order_create`` made (or, for a dry run, would make: nothing has a pk then)."""

    order: Order
    items: list[OrderItem]
    # Units beyond available stock, per (stock list, SKU); only when the channel allows overselling.
    oversold: list[dict] = field(default_factory=list)
    dry_run: bool = False
    # With an Idempotency-Key: the 201 body stored under it, JSON-ready (what a replay answers).
    stored_body: dict[str, Any] | None = None


def order_create(
    *,
    channel_id: int,
    actor,
    order_data: dict[str, Any],
    items_data: list[dict[str, Any]],
    idempotency: IdempotencyRequest | None = None,
    dry_run: bool = False,
) -> OrderCreated | IdempotencyReplay:
    """Create an order with one item row per unit, reserving stock for every unit.

    ``order_data`` and ``items_data`` are shape-checked input (``CreateOrderInputSerializer``);
    references are ids. The plan raises ServiceValidationError (400) for ids the channel may not
    use, rules and prices that disagree, ProductInactiveError (406) and NotFoundError when the
    channel does not exist (the caller has checked that the actor may use it). The write raises
    OrderNumberExistsError and InsufficientStockError (406); a refusal writes nothing.

    With ``idempotency`` (per user and channel, kept 24 hours) the key is claimed first, in a
    transaction of its own; a later request with the same key and body gets the stored outcome
    (an ``IdempotencyReplay``). Raises IdempotencyKeyReusedError (422, same key, another body) and
    IdempotencyKeyInFlightError (409, first still running). A refused or failed request drops its
    claim, so that a retry runs again. Call it outside any atomic block.

    With ``dry_run`` everything is checked (stock included), nothing is written and no key is used.
    """
    if dry_run:
        return _order_create_dry_run(order_plan(channel_id=channel_id, order_data=order_data, items_data=items_data))
    claim: IdempotencyClaim | None = None
    if idempotency is not None:
        claimed = idempotency_key_claim(
            user=actor, channel_id=channel_id, key=idempotency.key, request_hash=idempotency.request_hash
        )
        if isinstance(claimed, IdempotencyReplay):
            return claimed
        claim = claimed
    try:
        plan = order_plan(channel_id=channel_id, order_data=order_data, items_data=items_data)
        return atomic_with_retry(lambda: _order_write(plan=plan, actor=actor, claim=claim))
    except BaseException:
        if claim is not None:
            idempotency_key_release(claim=claim)
        raise


def _order_write(*, plan: OrderPlan, actor, claim: IdempotencyClaim | None) -> OrderCreated:
    """The transaction (retried on serialization failures and deadlocks): a fixed number of
    statements whatever the number of items.

    The unit rows and the ``created`` event are written between inserting the reservations and
    locking the stock rows (pk order) for the check: concurrent orders for the same products then
    wait for each other only across the check and the commit. The channel's unique (channel,
    number) constraint decides duplicates.
    """
    order = order_insert(plan)
    reserved = stock_reserve(requests=plan.stock_requests(), stock_ids=plan.stock_ids)
    items = order_items_insert(order, plan, reserved.reservations)
    order_created_record(created_event(order=order, items=items, actor=actor), items)
    oversold = stock_reserve_check(reserved=reserved, allow_oversell=plan.channel.allow_oversell)
    if oversold:
        order_events_record(oversold_events(order=order, items=items, oversold=oversold, plan=plan, actor=actor))
    result = OrderCreated(order=order, items=items, oversold=oversold)
    if claim is not None:
        result.stored_body = order_created_json(result)
        idempotency_key_complete(claim=claim, status=HTTPStatus.CREATED, body=result.stored_body)
    return result


def _order_create_dry_run(plan: OrderPlan) -> OrderCreated:
    """Every check of a real create, stock included, without writing: the rows are never saved."""
    with transaction.atomic():
        existing = (
            Order.objects.filter(channel_id=plan.channel.pk, number=plan.number).values_list("pk", flat=True).first()
        )
        if existing is not None:
            raise OrderNumberExistsError(number=plan.number, pk=existing)
        reserved = stock_reserve(requests=plan.stock_requests(), stock_ids=plan.stock_ids, dry_run=True)
        oversold = stock_reserve_check(reserved=reserved, allow_oversell=plan.channel.allow_oversell)
    order = Order(**plan.order_fields)
    return OrderCreated(order=order, items=order_items_build(order, plan, {}), oversold=oversold, dry_run=True)
