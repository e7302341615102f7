"""Planning an order: the request checked against the database and the rules, as the rows to write.

Reads only (one statement, ``orders.queries.references_fetch``); raises the refusals that need no
lock. What it returns, an ``OrderPlan``, is what ``orders.services.create.write`` inserts.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from catalog.services import StockRequest
from channels.models import Channel
from omnitron.errors import NotFoundError, ServiceValidationError
from orders.exceptions import ProductInactiveError
from orders.queries import ChannelRow, ReferenceIds, References, references_fetch
from orders.services.status import order_cancel_status_from_items
from orders.statuses import FINAL_STATUSES, OrderStatus

# Items created in these statuses get no stock reservation and no stock check: a final status
# holds nothing (cancelled, refunded, paid back), and a delivered unit has left the warehouse, so
# the ERP's stock figure no longer counts it.
UNRESERVED_STATUSES = FINAL_STATUSES | {OrderStatus.DELIVERED}

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

    @classmethod
    def from_row(cls, row: ChannelRow) -> "ChannelRules":
        conf = json.loads(row.conf) if row.conf else {}
        conf = conf if isinstance(conf, dict) else {}
        return cls(
            pk=row.pk,
            price_list_id=row.price_list_id,
            stock_list_id=row.stock_list_id,
            allow_oversell=Channel(conf=conf).allow_oversell,
            allow_addresses_of_other_customers=conf.get(ALLOW_OTHER_CUSTOMERS_ADDRESSES) is True,
        )


@dataclass
class ItemPlan:
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
class OrderPlan:
    channel: ChannelRules
    order_fields: dict[str, Any]  # Order keyword arguments
    items: list[ItemPlan]
    skus: dict[int, str]  # by product id
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


def _invalid_pk(pk: int) -> str:
    return f'Invalid pk "{pk}" - object does not exist.'


def _utc_iso(value) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _optional(pk: int | None) -> set[int]:
    return {pk} if pk is not None else set()


def order_plan(*, channel_id: int, order_data: dict[str, Any], items_data: list[dict[str, Any]]) -> OrderPlan:
    """Check the input against the database and the rules; the rows to write.

    Raises NotFoundError (no such channel), ServiceValidationError (400, DRF's nested shape, items
    indexed as sent) and ProductInactiveError (406).
    """
    data = dict(order_data)
    errors: dict[str, Any] = {}

    sent_channel = data.pop("channel", None)
    customer_id = data.pop("customer")
    addresses = {name: data.pop(name) for name in ("shipping_address", "billing_address")}
    cargo_company_id = data.pop("cargo_company", None)
    payment_option_id = data.pop("payment_option", None)

    def sent(key: str) -> set[int]:
        return {entry[key] for entry in items_data if entry.get(key) is not None}

    refs = references_fetch(
        channel_id=channel_id,
        wanted=ReferenceIds(
            customers={customer_id},
            addresses=set(addresses.values()),
            cargo_companies=_optional(cargo_company_id),
            payment_options=_optional(payment_option_id),
            products={entry["product"] for entry in items_data},
            price_lists=sent("price_list"),
            stock_lists=sent("stock_list"),
            parents=sent("parent"),
        ),
    )
    if refs.channel is None:
        raise NotFoundError()
    channel = ChannelRules.from_row(refs.channel)

    if sent_channel is not None and sent_channel != channel.pk:
        errors["channel"] = [f"Must be the channel of the URL ({channel.pk}); got {sent_channel}."]
    if customer_id not in refs.customers:
        errors["customer"] = [_invalid_pk(customer_id)]
    for name, pk in addresses.items():
        address = refs.addresses.get(pk)
        if address is None:
            errors[name] = [_invalid_pk(pk)]
            continue
        owner = address.customer_id
        if owner != customer_id and "customer" not in errors and not channel.allow_addresses_of_other_customers:
            errors[name] = [
                f"Address {pk} belongs to customer {owner}, not to the order's customer {customer_id}; "
                f'the channel allows that only with "{ALLOW_OTHER_CUSTOMERS_ADDRESSES}": true in its conf.'
            ]

    cargo_shipping_company = None
    if cargo_company_id is not None:
        if cargo_company_id in refs.cargo_companies:
            cargo_shipping_company = refs.cargo_companies[cargo_company_id].shipping_company
        else:
            errors["cargo_company"] = [_invalid_pk(cargo_company_id)]
    if payment_option_id is not None and payment_option_id not in refs.payment_options:
        errors["payment_option"] = [_invalid_pk(payment_option_id)]

    delivery_range = data.pop("delivery_range", None)
    if delivery_range is not None:
        if delivery_range["end"] < delivery_range["start"]:
            errors["delivery_range"] = {"end": ["Must not be before start."]}
        delivery_range = {key: _utc_iso(delivery_range[key]) for key in ("start", "end")}

    currency = data["currency"]
    status = data.pop("status", None) or OrderStatus.WAITING
    items, item_errors, inactive = _items_plan(
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
    return OrderPlan(
        channel=channel,
        order_fields=order_fields,
        items=items,
        skus={pk: product.sku for pk, product in refs.products.items()},
        stock_ids=refs.stock_ids,
    )


def _items_plan(
    *, channel: ChannelRules, refs: References, items_data: list[dict[str, Any]], currency: str, order_status: str
) -> tuple[list[ItemPlan], list[dict[str, Any]], list[dict]]:
    """Resolve the items' references and check their rules.

    Returns the item plans, the per-item errors (``{}`` where an item is fine) and the inactive
    products.
    """
    plans: list[ItemPlan] = []
    item_errors: list[dict[str, Any]] = []
    inactive: dict[int, dict] = {}
    for entry in items_data:
        errors: dict[str, list[str]] = {}
        product_id = entry["product"]
        product = refs.products.get(product_id)
        if product is None:
            errors["product"] = [_invalid_pk(product_id)]
        elif not product.is_active:
            inactive.setdefault(product_id, {"product": product_id, "sku": product.sku})
        price_list_id = entry.get("price_list")
        if price_list_id is None:
            price_list_id = channel.price_list_id
        elif price_list_id not in refs.price_lists:
            errors["price_list"] = [_invalid_pk(price_list_id)]
        stock_list_id = entry.get("stock_list")
        if stock_list_id is None:
            stock_list_id = channel.stock_list_id
            if stock_list_id is None:
                errors["stock_list"] = ["This channel has no default stock list; send stock_list."]
        elif stock_list_id not in refs.stock_lists:
            errors["stock_list"] = [_invalid_pk(stock_list_id)]
        parent_id = entry.get("parent")
        if parent_id is not None and parent_id not in refs.parents:
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
        plans.append(ItemPlan(fields=fields, quantity=quantity))
    return plans, item_errors, list(inactive.values())
