"""Creating an order (create_orders): validation against the database, then one transaction for
the order, its unit rows, their stock reservations and the audit events."""

import datetime
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import Catalog, PriceList, Product, ProductStock, StockList
from catalog.selectors import ListKind, channel_list_ids
from catalog.services import StockRequest, stock_reserve
from channels.models import Address, CargoCompany, Channel, Customer, PaymentOption
from omnitron.db import atomic_with_retry, rows_insert
from omnitron.errors import NotFoundError, ServiceValidationError
from orders.exceptions import OrderNumberExistsError, ProductInactiveError
from orders.models import EventType, Order, OrderEvent, OrderItem
from orders.services.events import order_event_build, order_events_record
from orders.services.idempotency import (
    IdempotencyReplay,
    idempotency_key_claim,
    idempotency_key_complete,
    idempotency_key_release,
)
from orders.services.status import order_cancel_status_from_items
from orders.statuses import FINAL_STATUSES, OrderStatus

# Items created in these statuses get no stock reservation and no stock check: a final status
# holds nothing (cancelled, refunded, paid back), and a delivered unit has left the warehouse, so
# the ERP's stock figure no longer counts it.
UNRESERVED_STATUSES = FINAL_STATUSES | {OrderStatus.DELIVERED}

# Upper bound on unit rows per order: one request cannot write an unbounded number of rows.
MAX_UNITS_PER_ORDER = 1000

ZERO = Decimal("0")
# Order money columns that default to zero when not sent.
_ORDER_ZERO_DEFAULTS = (
    "shipping_amount",
    "shipping_interest_amount",
    "discount_amount",
    "refund_amount",
    "discount_refund_amount",
    "shipping_refund_amount",
    "installment_interest_amount",
)
# Item keys that are not OrderItem columns as such: references resolved here, and price checks.
_ITEM_INPUT_ONLY = ("product", "price_list", "stock_list", "parent", "quantity", "unit_price", "total_price")


# The channel conf key that lets an order name addresses of other customers of the channel.
ALLOW_OTHER_CUSTOMERS_ADDRESSES = "allow_addresses_of_other_customers"


@dataclass(frozen=True)
class ChannelRules:
    """What creating an order needs to know about its channel."""

    pk: int
    price_list_id: int | None
    stock_list_id: int | None
    allow_oversell: bool
    # ``conf["allow_addresses_of_other_customers"]``: an order may name addresses of any customer
    # of the channel (guest checkouts that reuse one address book); otherwise only its customer's.
    allow_addresses_of_other_customers: bool = False


def _channel_rules(
    pk: int, conf_text: str | None, price_list_id: int | None, stock_list_id: int | None
) -> ChannelRules:
    conf = json.loads(conf_text) if conf_text else {}
    conf = conf if isinstance(conf, dict) else {}
    return ChannelRules(
        pk=pk,
        price_list_id=price_list_id,
        stock_list_id=stock_list_id,
        allow_oversell=Channel(conf=conf).allow_oversell,
        allow_addresses_of_other_customers=conf.get(ALLOW_OTHER_CUSTOMERS_ADDRESSES) is True,
    )


@dataclass
class OrderCreated:
    """What ``order_create`` made (or, for a dry run, would make: nothing has a pk then)."""

    order: Order
    items: list[OrderItem]
    # Units beyond available stock, per (stock list, SKU); only when the channel allows overselling.
    oversold: list[dict] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class _ItemPlan:
    fields: dict[str, Any]  # OrderItem keyword arguments, without order and reservation
    quantity: int

    @property
    def stock_key(self) -> tuple[int, int]:
        return (self.fields["stock_list_id"], self.fields["product_id"])

    @property
    def reserves(self) -> bool:
        """Whether its units hold stock: not when created in a status past the warehouse."""
        return self.fields["status"] not in UNRESERVED_STATUSES


@dataclass
class _OrderPlan:
    order_fields: dict[str, Any]
    items: list[_ItemPlan]
    skus: dict[int, str]
    stock_ids: dict[tuple[int, int], int]  # the ProductStock rows of the items, where they exist

    @property
    def number(self) -> str:
        return self.order_fields["number"]

    def stock_requests(self) -> list[StockRequest]:
        return [
            StockRequest(stock_list_id=item.stock_key[0], product_id=item.stock_key[1], quantity=item.quantity)
            for item in self.items
            if item.reserves
        ]


def order_create(
    *,
    channel_id: int,
    actor,
    order_data: dict[str, Any],
    items_data: list[dict[str, Any]],
    dry_run: bool = False,
    on_created: Callable[[OrderCreated], None] | None = None,
) -> OrderCreated:
    """Create an order with one item row per unit, reserving stock for every unit.

    ``order_data`` and ``items_data`` are shape-checked input (``CreateOrderInputSerializer``);
    references are ids. Raises ServiceValidationError (400, DRF's nested shape, items indexed as
    sent) for ids the channel may not use (missing, another channel's, a price or stock list the
    channel does not use, an inactive cargo company or payment option), an address of another
    customer (unless the channel's conf allows it), a channel other than ``channel``, an item
    currency other than the order's, and prices that disagree; ProductInactiveError,
    OrderNumberExistsError and InsufficientStockError (406).

    One transaction (retried on serialization failures and deadlocks) writes the order, the
    reservations (stock rows locked in pk order; none for items in ``UNRESERVED_STATUSES``), the items and the ``created`` event (plus an
    ``oversold`` event per short product when the channel's ``allow_oversell`` let it through).
    The channel's unique (channel, number) constraint decides duplicates. ``on_created`` runs
    inside that transaction with the result; if it raises, nothing is written.

    With ``dry_run`` everything is checked (stock included) and nothing is written. Raises
    NotFoundError when the channel does not exist (the caller has checked that the actor may use it).
    """
    channel, plan = _order_plan(channel_id=channel_id, order_data=order_data, items_data=items_data)
    if dry_run:
        return _order_create_dry_run(channel=channel, plan=plan)
    return atomic_with_retry(
        lambda: _order_create_write(channel=channel, actor=actor, plan=plan, on_created=on_created)
    )


# --- Validation: one statement for every reference, whatever the number of items ---------------


def _invalid_pk(pk: int) -> str:
    return f'Invalid pk "{pk}" - object does not exist.'


@dataclass(frozen=True)
class _Kind:
    """How one kind of reference is looked up in the validation statement."""

    model: type
    text: str | None = None  # a text column returned with each id
    flag: str | None = None  # a boolean column returned with each id
    scoped: bool = False  # only the channel's own rows
    owner: str | None = None  # an id column returned with each id (an address's customer)
    active_only: bool = False  # only rows the channel's lookups show (``is_active``)
    channel_lists: ListKind | None = None  # only the lists the channel uses


_REFERENCE_KINDS = {
    "customer": _Kind(Customer, scoped=True),
    "address": _Kind(Address, scoped=True, owner="customer_id"),
    "cargo_company": _Kind(CargoCompany, text="shipping_company", active_only=True),
    "payment_option": _Kind(PaymentOption, active_only=True),
    "product": _Kind(Product, text="sku", flag="is_active"),
    "price_list": _Kind(PriceList, channel_lists="price"),
    "stock_list": _Kind(StockList, channel_lists="stock"),
    "parent": _Kind(OrderItem, scoped=True),
}
# A sample channel id: compiling channel_list_ids with it shows where the channel id goes.
_SAMPLE_CHANNEL_ID = -7001


@functools.cache
def _channel_lists_sql(kind: ListKind, vendor: str) -> tuple[str, tuple[Any, ...]]:
    """``channel_list_ids`` compiled once per process: its SQL and its parameters, with
    ``_SAMPLE_CHANNEL_ID`` where the channel id is bound."""
    queryset = channel_list_ids(channel_id=_SAMPLE_CHANNEL_ID, kind=kind)
    sql, params = queryset.query.get_compiler(connection=transaction.get_connection()).as_sql()
    if _SAMPLE_CHANNEL_ID not in params:
        raise ValueError("channel_list_ids must bind the channel id as a parameter")
    return sql, tuple(params)


def _channel_lists_where(kind: ListKind, channel_id: int) -> tuple[str, list[Any]]:
    sql, params = _channel_lists_sql(kind, transaction.get_connection().vendor)
    return f' AND "id" IN ({sql})', [channel_id if param == _SAMPLE_CHANNEL_ID else param for param in params]


@dataclass
class _References:
    channel: ChannelRules | None
    # kind -> {id: (text, flag, owner)} for the ids that exist (and, where scoped, are the channel's)
    found: dict[str, dict[int, tuple[Any, Any, Any]]]
    # (stock_list_id, product_id) -> ProductStock id, for the items' products
    stock_ids: dict[tuple[int, int], int]

    def ids(self, kind: str) -> dict[int, tuple[Any, Any, Any]]:
        return self.found.get(kind, {})


def _reference_part(kind: str, ids: set[int], channel_id: int) -> tuple[str, list[Any]]:
    """The ``SELECT`` of the validation statement that finds the ``ids`` of one kind."""
    spec = _REFERENCE_KINDS[kind]
    text_sql = f'"{spec.text}"' if spec.text else "CAST(NULL AS text)"
    flag_sql = f'"{spec.flag}"' if spec.flag else "CAST(NULL AS boolean)"
    owner_sql = f'"{spec.owner}"' if spec.owner else "CAST(NULL AS bigint)"
    where = f'"id" IN ({", ".join(["%s"] * len(ids))})'
    params: list[Any] = sorted(ids)
    if spec.scoped:
        where += ' AND "channel_id" = %s'
        params.append(channel_id)
    if spec.active_only:
        where += ' AND "is_active" = %s'
        params.append(True)
    if spec.channel_lists:
        lists_sql, lists_params = _channel_lists_where(spec.channel_lists, channel_id)
        where += lists_sql
        params += lists_params
    sql = (
        f"SELECT '{kind}', \"id\", {text_sql}, {flag_sql}, {owner_sql}, CAST(NULL AS bigint) "  # noqa: S608  # table names and placeholders only
        f'FROM "{spec.model._meta.db_table}" WHERE {where}'
    )
    return sql, params


def _references_fetch(*, channel_id: int, wanted: dict[str, set[int]]) -> _References:
    """The channel's rules, which of the ``wanted`` ids the channel may use and the products' stock
    rows, in one ``UNION ALL`` statement.

    Plain SQL: this runs on every create_orders request, and one statement instead of one query
    per kind of reference (each compiled by the ORM) is most of what makes the endpoint fast.
    """
    channel_table = Channel._meta.db_table
    catalog_table = Catalog._meta.db_table
    # The channel's default lists are its catalog's (none without a catalog).
    channel_lists = (
        f'"{channel_table}" LEFT OUTER JOIN "{catalog_table}" '
        f'ON ("{catalog_table}"."id" = "{channel_table}"."catalog_id") WHERE "{channel_table}"."id" = %s'
    )
    parts = [
        f'SELECT \'channel\', "{channel_table}"."id", CAST("conf" AS text), CAST(NULL AS boolean), '  # noqa: S608  # table names and placeholders only
        f'"{catalog_table}"."price_list_id", "{catalog_table}"."stock_list_id" FROM {channel_lists}'
    ]
    params: list[Any] = [channel_id]
    for kind, ids in wanted.items():
        if ids:
            part_sql, part_params = _reference_part(kind, ids, channel_id)
            parts.append(part_sql)
            params += part_params
    if wanted["product"]:
        # The items' stock rows, in the stock lists they name or else the channel's.
        products = sorted(wanted["product"])
        lists = sorted(wanted["stock_list"])
        where = f'"product_id" IN ({", ".join(["%s"] * len(products))}) AND ('
        if lists:
            where += f'"stock_list_id" IN ({", ".join(["%s"] * len(lists))}) OR '
        where += f'"stock_list_id" = (SELECT "{catalog_table}"."stock_list_id" FROM {channel_lists}))'  # noqa: S608  # table names and placeholders only
        params += [*products, *lists, channel_id]
        parts.append(
            'SELECT \'stock\', "id", CAST(NULL AS text), CAST(NULL AS boolean), "stock_list_id", "product_id" '  # noqa: S608  # table names and placeholders only
            f'FROM "{ProductStock._meta.db_table}" WHERE {where}'
        )
    channel = None
    stock_ids: dict[tuple[int, int], int] = {}
    found: dict[str, dict[int, tuple[Any, Any, Any]]] = {}
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        # The last two columns: (price_list_id, stock_list_id) of the channel, (stock_list_id,
        # product_id) of a stock row, (owner, NULL) of a reference.
        for kind, pk, text, flag, first, second in cursor.fetchall():
            if kind == "channel":
                channel = _channel_rules(pk, text, first, second)
            elif kind == "stock":
                stock_ids[(first, second)] = pk
            else:
                found.setdefault(kind, {})[pk] = (text, flag, first)
    return _References(channel=channel, found=found, stock_ids=stock_ids)


def _order_plan(
    *, channel_id: int, order_data: dict[str, Any], items_data: list[dict[str, Any]]
) -> tuple[ChannelRules, _OrderPlan]:
    """Check the input against the database and the rules; the channel and the rows to write."""
    data = dict(order_data)
    errors: dict[str, Any] = {}

    sent_channel = data.pop("channel", None)
    customer_id = data.pop("customer")
    addresses = {name: data.pop(name) for name in ("shipping_address", "billing_address")}
    cargo_company_id = data.pop("cargo_company", None)
    payment_option_id = data.pop("payment_option", None)

    def sent(key: str) -> set[int]:
        return {entry[key] for entry in items_data if entry.get(key) is not None}

    refs = _references_fetch(
        channel_id=channel_id,
        wanted={
            "customer": {customer_id},
            "address": set(addresses.values()),
            "cargo_company": {cargo_company_id} if cargo_company_id is not None else set(),
            "payment_option": {payment_option_id} if payment_option_id is not None else set(),
            "product": {entry["product"] for entry in items_data},
            "price_list": sent("price_list"),
            "stock_list": sent("stock_list"),
            "parent": sent("parent"),
        },
    )
    channel = refs.channel
    if channel is None:
        raise NotFoundError()

    if sent_channel is not None and sent_channel != channel.pk:
        errors["channel"] = [f"Must be the channel of the URL ({channel.pk}); got {sent_channel}."]
    if customer_id not in refs.ids("customer"):
        errors["customer"] = [_invalid_pk(customer_id)]
    for name, pk in addresses.items():
        if pk not in refs.ids("address"):
            errors[name] = [_invalid_pk(pk)]
            continue
        owner = refs.ids("address")[pk][2]
        if owner != customer_id and "customer" not in errors and not channel.allow_addresses_of_other_customers:
            errors[name] = [
                f"Address {pk} belongs to customer {owner}, not to the order's customer {customer_id}; "
                f'the channel allows that only with "{ALLOW_OTHER_CUSTOMERS_ADDRESSES}": true in its conf.'
            ]

    cargo_shipping_company = None
    if cargo_company_id is not None:
        if cargo_company_id in refs.ids("cargo_company"):
            cargo_shipping_company = refs.ids("cargo_company")[cargo_company_id][0]
        else:
            errors["cargo_company"] = [_invalid_pk(cargo_company_id)]
    if payment_option_id is not None and payment_option_id not in refs.ids("payment_option"):
        errors["payment_option"] = [_invalid_pk(payment_option_id)]

    delivery_range = data.pop("delivery_range", None)
    if delivery_range is not None:
        if delivery_range["end"] < delivery_range["start"]:
            errors["delivery_range"] = {"end": ["Must not be before start."]}
        delivery_range = {key: _utc_iso(delivery_range[key]) for key in ("start", "end")}

    currency = data["currency"]
    status = data.pop("status", None) or OrderStatus.WAITING
    items, item_errors, skus, inactive = _items_plan(
        channel=channel, refs=refs, items_data=items_data, currency=currency, order_status=status
    )

    if errors or any(item_errors):
        body: dict[str, Any] = {}
        if errors:
            body["order"] = errors
        if any(item_errors):
            body["order_item"] = item_errors
        raise ServiceValidationError(body)
    if inactive:
        raise ProductInactiveError(inactive)

    order_fields = {
        **dict.fromkeys(_ORDER_ZERO_DEFAULTS, ZERO),
        **data,
        "channel_id": channel.pk,
        "status": status,
        "date_placed": data.get("date_placed") or timezone.now(),
        "customer_id": customer_id,
        "shipping_address_id": addresses["shipping_address"],
        "billing_address_id": addresses["billing_address"],
        "cargo_company_id": cargo_company_id,
        "payment_option_id": payment_option_id,
        "delivery_range": delivery_range,
    }
    if order_fields.get("shipping_company") is None:
        order_fields["shipping_company"] = cargo_shipping_company
    if "cancel_status" not in order_fields:
        order_fields["cancel_status"] = order_cancel_status_from_items(
            [item.fields.get("cancel_status") for item in items]
        )
    return channel, _OrderPlan(order_fields=order_fields, items=items, skus=skus, stock_ids=refs.stock_ids)


def _items_plan(
    *, channel: ChannelRules, refs: _References, items_data: list[dict[str, Any]], currency: str, order_status: str
) -> tuple[list[_ItemPlan], list[dict[str, Any]], dict[int, str], list[dict]]:
    """Resolve the items' references and check their rules.

    Returns the item plans, the per-item errors (``{}`` where an item is fine), SKUs by product
    id and the inactive products.
    """
    products = refs.ids("product")
    price_lists = refs.ids("price_list")
    stock_lists = refs.ids("stock_list")
    parents = refs.ids("parent")

    plans: list[_ItemPlan] = []
    item_errors: list[dict[str, Any]] = []
    inactive: dict[int, dict] = {}
    for entry in items_data:
        errors: dict[str, list[str]] = {}
        product_id = entry["product"]
        if product_id not in products:
            errors["product"] = [_invalid_pk(product_id)]
        elif not products[product_id][1]:
            inactive.setdefault(product_id, {"product": product_id, "sku": products[product_id][0]})
        price_list_id = entry.get("price_list")
        if price_list_id is None:
            price_list_id = channel.price_list_id
        elif price_list_id not in price_lists:
            errors["price_list"] = [_invalid_pk(price_list_id)]
        stock_list_id = entry.get("stock_list")
        if stock_list_id is None:
            stock_list_id = channel.stock_list_id
            if stock_list_id is None:
                errors["stock_list"] = ["This channel has no default stock list; send stock_list."]
        elif stock_list_id not in stock_lists:
            errors["stock_list"] = [_invalid_pk(stock_list_id)]
        parent_id = entry.get("parent")
        if parent_id is not None and parent_id not in parents:
            errors["parent"] = [_invalid_pk(parent_id)]

        item_currency = entry.get("price_currency") or currency
        if item_currency != currency:
            errors["price_currency"] = [f"Must be the order's currency ({currency}); got {item_currency}."]
        price: Decimal = entry["price"]
        quantity = entry.get("quantity", 1)
        unit_price = entry.get("unit_price")
        if unit_price is not None and unit_price != price:
            errors["unit_price"] = [f"Must equal price (the unit price, {price:.2f}); got {unit_price:.2f}."]
        total_price = entry.get("total_price")
        if total_price is not None and total_price != price * quantity:
            errors["total_price"] = [
                f"Must equal price × quantity ({price * quantity:.2f}); got {total_price:.2f}.",
            ]

        item_errors.append(errors)
        if errors:
            continue
        fields = {key: value for key, value in entry.items() if key not in _ITEM_INPUT_ONLY}
        fields.update(
            channel_id=channel.pk,
            product_id=product_id,
            price_list_id=price_list_id,
            stock_list_id=stock_list_id,
            parent_id=parent_id,
            status=entry.get("status") or order_status,
            price_currency=currency,
            tax_rate=entry.get("tax_rate", ZERO),
            discount_amount=entry.get("discount_amount", ZERO),
        )
        plans.append(_ItemPlan(fields=fields, quantity=quantity))
    skus = {pk: sku for pk, (sku, _, _) in products.items()}
    return plans, item_errors, skus, list(inactive.values())


def _utc_iso(value) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


# --- Writing ------------------------------------------------------------------------------------


def _order_insert(order: Order) -> None:
    """INSERT the order; a duplicate (channel, number) raises OrderNumberExistsError.

    The unique constraint decides (``ON CONFLICT DO NOTHING``): a concurrent insert of the same
    number waits for the first transaction and skips the row once it commits, so two orders with
    one number can never both exist.
    """
    rows_insert([order], unless_exists=("channel", "number"))
    if order.pk is not None:
        return
    existing = (
        Order.objects.filter(channel_id=order.channel_id, number=order.number).values_list("pk", flat=True).first()
    )
    if existing is None:  # the conflicting order was deleted in the meantime
        raise IntegrityError(f"order {order.number!r} of channel {order.channel_id} conflicted with a deleted one")
    raise OrderNumberExistsError(number=order.number, pk=existing)


def _items_build(order: Order, plan: _OrderPlan, reservations: dict[tuple[int, int], list[int]]) -> list[OrderItem]:
    """One OrderItem per unit, in request order, each with its own reservation when there is one."""
    pools = {key: iter(ids) for key, ids in reservations.items()}
    items = []
    for item_plan in plan.items:
        pool = pools.get(item_plan.stock_key) if item_plan.reserves else None
        for _ in range(item_plan.quantity):
            reservation_id = next(pool, None) if pool is not None else None
            items.append(OrderItem(order=order, reservation_id=reservation_id, **item_plan.fields))
    return items


def _created_event(*, order: Order, items: list[OrderItem], actor) -> OrderEvent:
    return order_event_build(
        order=order,
        event_type=EventType.CREATED,
        new={"number": order.number, "status": order.status, "items": len(items)},
        actor=actor,
    )


def _oversold_events(*, order: Order, items: list[OrderItem], oversold: list[dict], plan: _OrderPlan, actor):
    events = []
    product_by_sku = {sku: pk for pk, sku in plan.skus.items()}
    for entry in oversold:
        key = (entry["stock_list"], product_by_sku.get(entry["sku"]))
        first_item = next((item for item in items if (item.stock_list_id, item.product_id) == key), None)
        events.append(
            order_event_build(
                order=order,
                item=first_item,
                event_type=EventType.OVERSOLD,
                field="stock",
                new=entry,
                actor=actor,
                note=f"{entry['requested']} unit(s) of {entry['sku']} ordered with {entry['available']} available.",
            )
        )
    return events


def _order_create_write(
    *, channel: ChannelRules, actor, plan: _OrderPlan, on_created: Callable[[OrderCreated], None] | None
) -> OrderCreated:
    """The write, inside the caller's transaction; statement count does not depend on item count.

    The unit rows and the ``created`` event are written with the reservations, before the stock
    rows are locked (``stock_reserve``'s ``before_lock``): concurrent orders for the same
    products then wait for each other only across the stock check and the commit. A refusal
    rolls them all back.
    """
    order = Order(**plan.order_fields)
    _order_insert(order)
    items: list[OrderItem] = []

    def write_items(reservations: dict[tuple[int, int], list[int]]) -> None:
        items.extend(_items_build(order, plan, reservations))
        rows_insert(items)
        order_events_record([_created_event(order=order, items=items, actor=actor)])

    reserved = stock_reserve(
        requests=plan.stock_requests(),
        stock_ids=plan.stock_ids,
        allow_oversell=channel.allow_oversell,
        before_lock=write_items,
    )
    if reserved.oversold:
        order_events_record(
            _oversold_events(order=order, items=items, oversold=reserved.oversold, plan=plan, actor=actor)
        )
    result = OrderCreated(order=order, items=items, oversold=reserved.oversold)
    if on_created is not None:
        on_created(result)
    return result


def _order_create_dry_run(*, channel: ChannelRules, plan: _OrderPlan) -> OrderCreated:
    """Every check of a real create, stock included, without writing: the rows are never saved."""
    with transaction.atomic():
        existing = Order.objects.filter(channel_id=channel.pk, number=plan.number).values_list("pk", flat=True).first()
        if existing is not None:
            raise OrderNumberExistsError(number=plan.number, pk=existing)
        reserved = stock_reserve(
            requests=plan.stock_requests(),
            stock_ids=plan.stock_ids,
            allow_oversell=channel.allow_oversell,
            dry_run=True,
        )
    order = Order(**plan.order_fields)
    items = _items_build(order, plan, {})
    return OrderCreated(order=order, items=items, oversold=reserved.oversold, dry_run=True)


# --- With an Idempotency-Key ----------------------------------------------------------------------


@dataclass(frozen=True)
class IdempotentOutcome:
    status: int
    body: Any
    replayed: bool


def order_create_idempotent(
    *,
    channel_id: int,
    actor,
    key: str,
    request_hash: str,
    order_data: dict[str, Any],
    items_data: list[dict[str, Any]],
    respond: Callable[[OrderCreated], tuple[int, Any]],
) -> IdempotentOutcome:
    """``order_create`` under an Idempotency-Key (per user and channel, kept 24 hours).

    The first request with the key creates the order; ``respond(result)`` turns it into the
    (status, JSON-ready body) stored with the order in one transaction. A later request with the
    same key and body gets that stored outcome (``replayed``). Raises IdempotencyKeyReusedError
    (422, same key with another body) and IdempotencyKeyInFlightError (409, first still running).
    A refused or failed request wrote nothing: its claim is dropped so that a retry runs again,
    and the refusal is raised as without a key. Call it outside any atomic block.
    """
    claimed = idempotency_key_claim(user=actor, channel_id=channel_id, key=key, request_hash=request_hash)
    if isinstance(claimed, IdempotencyReplay):
        return IdempotentOutcome(status=claimed.status, body=claimed.body, replayed=True)
    stored: dict[str, Any] = {}

    def store(result: OrderCreated) -> None:
        status, body = respond(result)
        idempotency_key_complete(claim=claimed, status=status, body=body)
        stored.update(status=status, body=body)

    try:
        order_create(channel_id=channel_id, actor=actor, order_data=order_data, items_data=items_data, on_created=store)
    except BaseException:
        idempotency_key_release(claim=claimed)
        raise
    return IdempotentOutcome(status=stored["status"], body=stored["body"], replayed=False)
