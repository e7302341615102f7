"""The flat order-item representation (seed 000's PATCH response) and its fast builder."""

from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from omnitron.fields import MoneyField, RateField, money_str, rate_str
from orders.models import OrderItem

# (response key, values() column, formatter or None) in the seed's key order.
_FLAT: list[tuple[str, str, Callable[[Any], Any] | None]] = [
    ("pk", "id", None),
    ("order", "order_id", None),
    ("product", "product_id", None),
    ("price_list", "price_list_id", None),
    ("stock_list", "stock_list_id", None),
    ("status", "status", None),
    ("price_currency", "price_currency", None),
    ("price", "price", money_str),
    ("tax_rate", "tax_rate", rate_str),
    ("shipping_company", "shipping_company", None),
    ("shipment_code", "shipment_code", None),
    ("cancel_status", "cancel_status", None),
    ("is_tradable", "is_tradable", None),
    ("installment_interest_amount", "installment_interest_amount", money_str),
    ("datasource", "datasource", None),
    ("cancellation_reconciliation", "cancellation_reconciliation", None),
    ("reconciliation", "reconciliation", None),
    ("forced_refund", "forced_refund", None),
    ("original_stock", "original_stock", None),
    ("shipping_option_group", "shipping_option_group", None),
    ("extra_field", "extra_field", None),
    ("created_date", "created_date", None),
    ("modified_date", "modified_date", None),
    ("attributes", "attributes", None),
    ("attributes_kwargs", "attributes_kwargs", None),
    ("localized_attributes", "localized_attributes", None),
    ("localized_attributes_kwargs", "localized_attributes_kwargs", None),
    ("retail_price", "retail_price", money_str),
    ("discount_amount", "discount_amount", money_str),
    ("tax_amount", "tax_amount", money_str),
    ("tracking_number", "tracking_number", None),
    ("carrier_shipping_code", "carrier_shipping_code", None),
    ("invoice_number", "invoice_number", None),
    ("invoice_date", "invoice_date", None),
    ("e_archive_url", "e_archive_url", None),
    ("parent", "parent_id", None),
    ("estimated_delivery_date", "estimated_delivery_date", None),
    ("defined_tracking_url", "defined_tracking_url", None),
    ("defined_shipping_company", "defined_shipping_company", None),
    ("image", "image", None),
    ("external_status", "external_status", None),
]
ORDER_ITEM_FLAT_COLUMNS: tuple[str, ...] = tuple(column for _, column, _ in _FLAT)
ORDER_ITEM_FLAT_KEYS: tuple[str, ...] = tuple(key for key, _, _ in _FLAT)
_PLAIN = [(key, column) for key, column, fmt in _FLAT if fmt is None]
_FORMATTED = [(key, column, fmt) for key, column, fmt in _FLAT if fmt is not None]


def order_item_flat(row: dict[str, Any]) -> dict[str, Any]:
    """The flat item dict from a ``values(*ORDER_ITEM_FLAT_COLUMNS)`` row (datetimes left to orjson)."""
    result = {key: row[column] for key, column in _PLAIN}
    for key, column, fmt in _FORMATTED:
        result[key] = fmt(row[column])
    return {key: result[key] for key in ORDER_ITEM_FLAT_KEYS}


def order_item_flat_from_instance(item: OrderItem) -> dict[str, Any]:
    """The same dict from a model instance (after a write)."""
    return order_item_flat({column: getattr(item, column) for column in ORDER_ITEM_FLAT_COLUMNS})


class OrderItemSerializer(serializers.ModelSerializer):
    """Flat order item: related objects as ids (schema of the list and PATCH responses)."""

    pk = serializers.IntegerField(read_only=True)
    price = MoneyField()
    tax_rate = RateField()
    installment_interest_amount = MoneyField(allow_null=True)
    retail_price = MoneyField(allow_null=True)
    discount_amount = MoneyField()
    tax_amount = MoneyField(allow_null=True)
    extra_field = serializers.JSONField()
    attributes = serializers.JSONField()
    attributes_kwargs = serializers.JSONField()
    localized_attributes = serializers.JSONField()
    localized_attributes_kwargs = serializers.JSONField()

    class Meta:
        model = OrderItem
        fields = list(ORDER_ITEM_FLAT_KEYS)
        read_only_fields = fields
