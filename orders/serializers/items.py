"""The flat order-item representation (seed 000's PATCH response) and its fast builder."""

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from rest_framework import serializers

from catalog.models import Currency, Product
from channels.models import ShippingCompany
from omnitron.db import BIGINT_MAX, BIGINT_MIN
from omnitron.fields import MoneyField, OptionalURLField, RateField, money_str, rate_str
from omnitron.unknown_input import UnknownFieldsMixin
from orders.models import TRACKING_CODE_LENGTH, CancelStatus, OrderItem
from orders.selectors.items import lists_by_id, mappings_by_object, orders_by_id, products_by_id
from orders.serializers.fields import DateOrDateTimeField, StatusField
from orders.statuses import OrderStatus

# (response key, values() column, formatter or None) in the seed's key order.
_FLAT: list[tuple[str, str, Callable[[Any], Any] | None]] = [
    ("pk", "id", None),
    ("order", "order_id", None),
    ("order_number", "order__number", None),
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
    return order_item_flat({column: attrgetter(column.replace("__", "."))(item) for column in ORDER_ITEM_FLAT_COLUMNS})


class OrderItemSerializer(serializers.ModelSerializer):
    """Flat order item: related objects as ids (schema of the list and PATCH responses)."""

    pk = serializers.IntegerField(read_only=True)
    order_number = serializers.CharField(
        source="order.number", read_only=True, help_text="The number of the item's order."
    )
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


# --- Detailed shapes (order, product, price_list and stock_list expanded) -----------------------


def _order_brief(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "pk": row["id"],
        "number": row["number"],
        "status": row["status"],
        "date_placed": row["date_placed"],
        "currency": row["currency"],
        "amount": money_str(row["amount"]),
        "customer": row["customer_id"],
    }


def _product_brief(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "pk": row["id"],
        "name": row["name"],
        "sku": row["sku"],
        "base_code": row["base_code"],
        "barcode": row["barcode"],
        "attributes": row["attributes"],
        "images": [{"pk": image["id"], "url": image["url"], "order": image["order"]} for image in row["images"]],
    }


def _list_brief(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    brief = {
        "pk": row["id"],
        "code": row["code"],
        "name": row["name"],
        "is_auto_sync": row["is_auto_sync"],
        "created_date": row["created_date"],
        "modified_date": row["modified_date"],
    }
    if "currency" in row:
        brief["currency"] = row["currency"]
    return brief


def order_items_detailed(rows: list[dict[str, Any]], *, with_mappings: bool = False) -> list[dict[str, Any]]:
    """Detailed item dicts for a page of flat rows: four or five grouped queries in all."""
    if not rows:
        return []
    orders = orders_by_id({row["order_id"] for row in rows})
    products = products_by_id({row["product_id"] for row in rows})
    price_lists, stock_lists = lists_by_id(
        {row["price_list_id"] for row in rows if row["price_list_id"]},
        {row["stock_list_id"] for row in rows if row["stock_list_id"]},
    )
    if with_mappings:
        item_mappings = mappings_by_object(OrderItem, {row["id"] for row in rows})
        product_mappings = mappings_by_object(Product, set(products))
    results = []
    for row in rows:
        item = order_item_flat(row)
        item["order"] = _order_brief(orders[row["order_id"]])
        item["product"] = _product_brief(products[row["product_id"]])
        item["price_list"] = _list_brief(price_lists.get(row["price_list_id"]))
        item["stock_list"] = _list_brief(stock_lists.get(row["stock_list_id"]))
        if with_mappings:
            item["integration_mappings"] = item_mappings.get(row["id"], [])
            item["product"]["integration_mappings"] = product_mappings.get(row["product_id"], [])
        results.append(item)
    return results


class OrderBriefSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    date_placed = serializers.DateTimeField()
    currency = serializers.CharField()
    amount = MoneyField()
    customer = serializers.IntegerField()


class ProductImageBriefSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    url = serializers.URLField()
    order = serializers.IntegerField()


class ProductBriefSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    name = serializers.CharField()
    sku = serializers.CharField()
    base_code = serializers.CharField(allow_null=True)
    barcode = serializers.CharField(allow_null=True)
    attributes = serializers.JSONField()
    images = ProductImageBriefSerializer(many=True)


class StockListBriefSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    is_auto_sync = serializers.BooleanField()
    created_date = serializers.DateTimeField()
    modified_date = serializers.DateTimeField()


class PriceListBriefSerializer(StockListBriefSerializer):
    currency = serializers.CharField()


class IntegrationMappingBriefSerializer(serializers.Serializer):
    integration_type = serializers.CharField()
    code = serializers.CharField()


class OrderItemDetailedSerializer(OrderItemSerializer):
    """Order item with its order, product (and images), price list and stock list expanded."""

    order = OrderBriefSerializer(read_only=True)
    product = ProductBriefSerializer(read_only=True)
    price_list = PriceListBriefSerializer(read_only=True, allow_null=True)
    stock_list = StockListBriefSerializer(read_only=True, allow_null=True)


class ProductWithMappingsSerializer(ProductBriefSerializer):
    integration_mappings = IntegrationMappingBriefSerializer(many=True)


class OrderItemDetailedIntegrationSerializer(OrderItemDetailedSerializer):
    """As detailed, plus the integration mappings of the item and of its product."""

    product = ProductWithMappingsSerializer(read_only=True)
    integration_mappings = IntegrationMappingBriefSerializer(many=True, read_only=True)

    class Meta(OrderItemDetailedSerializer.Meta):
        fields = [*OrderItemDetailedSerializer.Meta.fields, "integration_mappings"]
        read_only_fields = fields


# --- PATCH input ---------------------------------------------------------------------------------


def _opaque_id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=BIGINT_MIN, max_value=BIGINT_MAX, **kwargs
    )


def _text(max_length: int = 128) -> serializers.CharField:
    return serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=max_length)


class OrderItemUpdateSerializer(UnknownFieldsMixin, serializers.Serializer):
    """PATCH body of an order item: every field optional; unknown and read-only fields are ignored.

    ``extra_field`` is merged into the stored one; the attribute dicts are replaced; ``order``,
    ``product``, ``price``, ``price_currency``, ``tax_rate``, ``price_list``, ``stock_list`` (and the
    other read-only values of the item) may be sent but must equal the stored value;
    ``created_date``/``modified_date`` are read-only.
    """

    status = StatusField(required=False)
    cancel_status = serializers.ChoiceField(choices=CancelStatus.choices, required=False, allow_null=True)
    shipping_company = serializers.ChoiceField(choices=ShippingCompany.choices, required=False, allow_null=True)
    shipment_code = _text()
    tracking_number = _text(TRACKING_CODE_LENGTH)
    carrier_shipping_code = _text(TRACKING_CODE_LENGTH)
    invoice_number = _text()
    invoice_date = serializers.DateTimeField(required=False, allow_null=True)
    e_archive_url = OptionalURLField()
    forced_refund = serializers.BooleanField(required=False, allow_null=True)
    estimated_delivery_date = DateOrDateTimeField(required=False, allow_null=True)
    defined_tracking_url = OptionalURLField()
    installment_interest_amount = MoneyField(required=False, allow_null=True)
    datasource = _opaque_id()
    cancellation_reconciliation = _opaque_id()
    reconciliation = _opaque_id()
    original_stock = _opaque_id()
    shipping_option_group = _opaque_id()
    extra_field = serializers.DictField(required=False, help_text="Merged into the stored extra_field.")
    attributes = serializers.DictField(required=False)
    attributes_kwargs = serializers.DictField(required=False)
    localized_attributes = serializers.DictField(required=False)
    localized_attributes_kwargs = serializers.DictField(required=False)
    # Read-only values: accepted only when equal to the stored ones.
    pk = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    order = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    product = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    price = MoneyField(required=False)
    price_currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    tax_rate = RateField(required=False)
    price_list = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX)
    stock_list = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX)
    is_tradable = serializers.BooleanField(required=False)
    retail_price = MoneyField(required=False, allow_null=True)
    discount_amount = MoneyField(required=False)
    tax_amount = MoneyField(required=False, allow_null=True)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX)
    image = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=500)
    external_status = _opaque_id()
    defined_shipping_company = serializers.ChoiceField(choices=ShippingCompany.choices, required=False, allow_null=True)
    created_date = serializers.DateTimeField(read_only=True, help_text="Set by the server; ignored on input.")
    modified_date = serializers.DateTimeField(read_only=True, help_text="Set by the server; ignored on input.")
