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

ORDER_I1_COLUMNS = (
    "id", "number", "status", "date_placed", "customer_id", "shipping_address_id", "billing_address_id", "currency",
    "amount", "shipping_amount", "shipping_tax_rate", "extra_field", "payment_option_id", "payment_option_slug",
    "bin_number", "installment", "installment_count", "installment_interest_amount", "cargo_company_id",
    "invoice_number", "invoice_date", "e_archive_url", "refund_amount", "discount_refund_amount",
    "shipping_refund_amount", "discount_amount", "is_send", "shipping_interest_amount", "tracking_number",
    "carrier_shipping_code", "remote_addr", "has_gift_box", "gift_box_note", "external_status", "channel_id",
)  # fmt: skip
ADDRESS_COLUMNS = (
    "id", "email", "phone_number", "first_name", "last_name", "country__name", "country__code", "city_id", "city__name",
    "line", "title", "township_id", "township__name", "district_id", "district__name", "postcode", "notes",
    "company_name", "tax_office", "tax_no", "e_bill_taxpayer", "identity_number", "extra_field",
)  # fmt: skip
ITEM_I1_COLUMNS = (
    "id", "order_id", "product__sku", "status", "price_currency", "price", "tax_rate", "extra_field", "price_list_id",
    "stock_list_id", "cancel_status", "invoice_number", "invoice_date", "e_archive_url", "installment_interest_amount",
    "tracking_number", "carrier_shipping_code", "shipping_company", "shipment_code", "external_status",
    "discount_amount", "retail_price", "attributes", "attributes_kwargs", "image",
)  # fmt: skip


# Set up once (``values()`` over 35 columns is costly to build); every use clones it, none evaluates it.
_ORDER_ROWS = Order.objects.order_by("id").values(*ORDER_I1_COLUMNS)


def order_rows(*, channel_ids: list[int] | None) -> QuerySet:
    """Orders of ``channel_ids`` (None: every channel) as ``values()`` rows, oldest first."""
    if channel_ids is None:
        return _ORDER_ROWS.all()
    return _ORDER_ROWS.filter(channel_id__in=channel_ids)


def channel_orders(*, channel_id: int) -> QuerySet:
    """Orders of one channel, oldest first (only the order's own columns are read)."""
    return Order.objects.filter(channel_id=channel_id).order_by("id")


def orders_by_number(*, number: str, channel_ids: list[int] | None) -> QuerySet:
    """Orders with ``number`` in ``channel_ids`` (None: every channel); at most one per channel."""
    queryset = Order.objects.filter(number=number).order_by("id")
    if channel_ids is not None:
        queryset = queryset.filter(channel_id__in=channel_ids)
    return queryset


def order_for_user(*, order_id: int, channel_ids: list[int] | None) -> Order | None:
    queryset = Order.objects.filter(pk=order_id)
    if channel_ids is not None:
        queryset = queryset.filter(channel_id__in=channel_ids)
    return queryset.first()


_CUSTOMERS = PreparedValues(
    lambda ids: Customer.objects.filter(pk__in=ids).values("id", "email", "first_name", "last_name", "phone_number"),
    kinds=("in",),
)
_ADDRESSES = PreparedValues(lambda ids: Address.objects.filter(pk__in=ids).values(*ADDRESS_COLUMNS), kinds=("in",))
_ITEMS = PreparedValues(
    lambda ids: OrderItem.objects.filter(order_id__in=ids).order_by("order_id", "id").values(*ITEM_I1_COLUMNS),
    kinds=("in",),
)
_CHANNELS = PreparedValues(lambda ids: Channel.objects.filter(pk__in=ids).values("id", "name", "conf"), kinds=("in",))


def customers_by_id(customer_ids: set[int]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in _CUSTOMERS.rows(customer_ids)}


def addresses_by_id(address_ids: set[int]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in _ADDRESSES.rows(address_ids)}


def items_by_order(order_ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _ITEMS.rows(order_ids):
        grouped[row["order_id"]].append(row)
    return grouped


def channels_by_id(channel_ids: set[int]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in _CHANNELS.rows(channel_ids)}


def order_events(*, order_id: int) -> QuerySet[OrderEvent]:
    """The order's audit trail, oldest first."""
    return OrderEvent.objects.filter(order_id=order_id).select_related("actor").order_by("id")
