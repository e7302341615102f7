"""The OMS order-item representations (seed 001): detailed and list-simple.

``oms_order_items_detailed`` and ``oms_order_items_simple`` build the response dicts from the
selector's rows and the page's related data (``orders.selectors.oms``); the serializers below
describe the same shapes for the OpenAPI schema, and tests check that both agree on keys.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from omnitron.fields import MoneyField, RateField, money_str, rate_str
from orders.selectors.oms import OmsRelated
from orders.serializers.statuses import StatusTranslationsSerializer
from orders.statuses import STATUS_INFO

STATE_ENUM_CLASS = "OrderStatus"
# The status table lives in code, not in rows: its timestamps are this fixed instant.
STATE_TABLE_DATE = datetime(2021, 1, 1, tzinfo=UTC)

STATE_ID_HELP = (
    "The status's numeric code as an integer (450 for Preparing): stable, and the same number as "
    "`enum_value`. list-simple's `state` carries the same id."
)

STATE_DATE_HELP = "Always 2021-01-01T00:00:00Z: statuses are a fixed table in the service, not stored rows."


def oms_state_id(code: str) -> int:
    """The ``state.id`` of a status code: the code as an integer."""
    return int(code)


def oms_state(code: str, *, content_type_id: int) -> dict[str, Any]:
    """The ``state`` object of a status code, from the status table."""
    info = STATUS_INFO.get(code)
    en, tr = (info.en, info.tr) if info else (code, code)
    return {
        "id": oms_state_id(code),
        "created_date": STATE_TABLE_DATE,
        "modified_date": STATE_TABLE_DATE,
        "translations": {"en-us": {"name": en}, "tr-tr": {"name": tr}},
        "name": en,
        "config": {},
        "enum_class": STATE_ENUM_CLASS,
        "enum_value": code,
        "content_type": content_type_id,
    }


def _list_ref(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A price or stock list as ``{pk, code, name, created_date, is_auto_sync, modified_date}``."""
    if row is None:
        return None
    return {
        "pk": row["id"],
        "code": row["code"],
        "name": row["name"],
        "created_date": row["created_date"],
        "is_auto_sync": row["is_auto_sync"],
        "modified_date": row["modified_date"],
    }


def _product(row: dict[str, Any], images: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "productimage_set": [
            {"order": image["order"], "id": image["id"], "url": image["url"], "product": image["product_id"]}
            for image in images
        ],
        "created_date": row["created_date"],
        "modified_date": row["modified_date"],
        "omnitron_id": row["id"],
        "name": row["name"],
        "base_code": row["base_code"],
        "sku": row["sku"],
        "barcode": row["barcode"],
        "attributes": row["attributes"],
        "attributes_kwargs": row["attributes_kwargs"],
        "extra_attributes": row["extra_attributes"],
        "remote_modified_date": row["modified_date"],
    }


class _PageContext:
    """Per-page lookups shared by both shapes: list objects built once, extra fields by pair."""

    def __init__(self, related: OmsRelated) -> None:
        self.related = related
        self.price_lists = {pk: _list_ref(row) for pk, row in related.price_lists.items()}
        self.stock_lists = {pk: _list_ref(row) for pk, row in related.stock_lists.items()}

    def common(self, row: dict[str, Any]) -> dict[str, Any]:
        """The keys both shapes share, from ``created_date`` to ``parent_omnitron_id``."""
        price: Decimal = row["price"]
        net_amount = price - row["discount_amount"]
        tax_amount = row["tax_amount"]
        product_id = row["product_id"]
        price_list_id = row["price_list_id"]
        stock_list_id = row["stock_list_id"]
        return {
            "created_date": row["created_date"],
            "modified_date": row["modified_date"],
            "omnitron_id": row["id"],
            "net_amount": money_str(net_amount),
            "price": money_str(price),
            "price_currency": row["price_currency"],
            "retail_price": money_str(row["retail_price"]),
            "tax_rate": rate_str(row["tax_rate"]),
            "tax_amount": money_str(tax_amount),
            "discount_amount": money_str(row["discount_amount"]),
            "without_net_amount": money_str(net_amount - tax_amount) if tax_amount is not None else None,
            "installment_interest_amount": money_str(row["installment_interest_amount"]),
            "attributes": row["attributes"],
            "attributes_kwargs": row["attributes_kwargs"],
            "image": row["image"] or None,
            "price_list": self.price_lists.get(price_list_id),
            "stock_list": self.stock_lists.get(stock_list_id),
            "extra_field": {
                "price_extra_field": self.related.price_extra.get((price_list_id, product_id)) or {},
                "stock_extra_field": self.related.stock_extra.get((stock_list_id, product_id)) or {},
            },
            "parent_omnitron_id": row["parent_id"],
        }


def oms_order_items_detailed(
    rows: list[dict[str, Any]], *, related: OmsRelated, content_type_id: int
) -> list[dict[str, Any]]:
    """Detailed OMS items (``state`` and ``product`` objects) for selector rows, in order."""
    context = _PageContext(related)
    states: dict[str, dict[str, Any]] = {}
    products: dict[int, dict[str, Any]] = {}
    results = []
    for row in rows:
        code = row["status"]
        state = states.get(code)
        if state is None:
            state = states[code] = oms_state(code, content_type_id=content_type_id)
        product_id = row["product_id"]
        product = products.get(product_id)
        if product is None:
            product = products[product_id] = _product(related.products[product_id], related.images.get(product_id, []))
        results.append(
            {"id": row["id"], "state": state, "product": product, **context.common(row), "order": row["order_id"]}
        )
    return results


def oms_order_items_simple(rows: list[dict[str, Any]], *, related: OmsRelated) -> list[dict[str, Any]]:
    """list-simple OMS items (``state``, ``order`` and ``product`` as ids) for selector rows."""
    context = _PageContext(related)
    return [
        {
            "id": row["id"],
            **context.common(row),
            "state": oms_state_id(row["status"]),
            "order": row["order_id"],
            "product": row["product_id"],
        }
        for row in rows
    ]


# --- Schema -----------------------------------------------------------------------------------


class OmsStateSerializer(serializers.Serializer):
    """An order-item status as an OMS state object, built from the status table."""

    id = serializers.IntegerField(help_text=STATE_ID_HELP)
    created_date = serializers.DateTimeField(help_text=STATE_DATE_HELP)
    modified_date = serializers.DateTimeField(help_text=STATE_DATE_HELP)
    translations = StatusTranslationsSerializer(help_text="Display names by language (`en-us`, `tr-tr`).")
    name = serializers.CharField(help_text='English display name, e.g. "Preparing".')
    config = serializers.JSONField(help_text="Always `{}`.")
    enum_class = serializers.CharField(help_text='Always "OrderStatus".')
    enum_value = serializers.CharField(help_text='The status code as a string, e.g. "450".')
    content_type = serializers.IntegerField(help_text="ContentType id of the order item model.")


class OmsProductImageSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    id = serializers.IntegerField()
    url = serializers.URLField()
    product = serializers.IntegerField(help_text="The product's id.")


class OmsProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    productimage_set = OmsProductImageSerializer(many=True, help_text="Images by `order`, then id.")
    created_date = serializers.DateTimeField()
    modified_date = serializers.DateTimeField()
    omnitron_id = serializers.IntegerField(help_text="The product's id in this service.")
    name = serializers.CharField()
    base_code = serializers.CharField(allow_null=True)
    sku = serializers.CharField()
    barcode = serializers.CharField(allow_null=True)
    attributes = serializers.JSONField()
    attributes_kwargs = serializers.JSONField()
    extra_attributes = serializers.JSONField()
    remote_modified_date = serializers.DateTimeField(help_text="When the product last changed here.")


class OmsListRefSerializer(serializers.Serializer):
    """A price list or stock list."""

    pk = serializers.IntegerField()
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    created_date = serializers.DateTimeField()
    is_auto_sync = serializers.BooleanField()
    modified_date = serializers.DateTimeField()


class OmsExtraFieldSerializer(serializers.Serializer):
    price_extra_field = serializers.JSONField(
        help_text="`extra_field` of the product's price in the item's price list (`{}` when none)."
    )
    stock_extra_field = serializers.JSONField(
        help_text="`extra_field` of the product's stock in the item's stock list (`{}` when none)."
    )


class _OmsOrderItemCommonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_date = serializers.DateTimeField()
    modified_date = serializers.DateTimeField()
    omnitron_id = serializers.IntegerField(help_text="The item's id in this service (same as `id`).")
    net_amount = MoneyField(help_text="`price` − `discount_amount`.")
    price = MoneyField()
    price_currency = serializers.CharField()
    retail_price = MoneyField(allow_null=True)
    tax_rate = RateField()
    tax_amount = MoneyField(allow_null=True)
    discount_amount = MoneyField()
    without_net_amount = MoneyField(
        allow_null=True, help_text="`net_amount` − `tax_amount`; null while `tax_amount` is unknown."
    )
    installment_interest_amount = MoneyField(allow_null=True)
    attributes = serializers.JSONField()
    attributes_kwargs = serializers.JSONField()
    image = serializers.CharField(allow_null=True, help_text="The item's image URL, or null.")
    price_list = OmsListRefSerializer(allow_null=True)
    stock_list = OmsListRefSerializer(allow_null=True)
    extra_field = OmsExtraFieldSerializer()
    parent_omnitron_id = serializers.IntegerField(allow_null=True, help_text="The bundle parent item's id.")


OMS_DETAILED_KEYS = (
    "id",
    "state",
    "product",
    "created_date",
    "modified_date",
    "omnitron_id",
    "net_amount",
    "price",
    "price_currency",
    "retail_price",
    "tax_rate",
    "tax_amount",
    "discount_amount",
    "without_net_amount",
    "installment_interest_amount",
    "attributes",
    "attributes_kwargs",
    "image",
    "price_list",
    "stock_list",
    "extra_field",
    "parent_omnitron_id",
    "order",
)
OMS_SIMPLE_KEYS = (
    *(key for key in OMS_DETAILED_KEYS if key not in {"state", "product", "order"}),
    "state",
    "order",
    "product",
)


class OmsOrderItemSerializer(_OmsOrderItemCommonSerializer):
    """An order item with its state and product objects (list and detail)."""

    state = OmsStateSerializer()
    product = OmsProductSerializer()
    order = serializers.IntegerField(help_text="The order's id.")

    def get_fields(self):
        fields = super().get_fields()
        return {key: fields[key] for key in OMS_DETAILED_KEYS}


class OmsOrderItemSimpleSerializer(_OmsOrderItemCommonSerializer):
    """An order item with ``state``, ``order`` and ``product`` as ids."""

    state = serializers.IntegerField(help_text=STATE_ID_HELP)
    order = serializers.IntegerField(help_text="The order's id.")
    product = serializers.IntegerField(help_text="The product's id.")

    def get_fields(self):
        fields = super().get_fields()
        return {key: fields[key] for key in OMS_SIMPLE_KEYS}


# --- OpenAPI examples, shaped like the seed ---------------------------------------------------

_EXAMPLE_LIST = {
    "pk": 1,
    "code": None,
    "name": "test_fiyat_list",
    "created_date": "2021-02-25T13:41:08.252536Z",
    "is_auto_sync": False,
    "modified_date": "2021-02-25T13:41:08.252562Z",
}
_EXAMPLE_COMMON = {
    "created_date": "2021-07-07T08:17:49.927569Z",
    "modified_date": "2021-07-07T08:42:21.265143Z",
    "omnitron_id": 1,
    "net_amount": "599.99",
    "price": "599.99",
    "price_currency": "try",
    "retail_price": "1000.00",
    "tax_rate": "8.00",
    "tax_amount": None,
    "discount_amount": "0.00",
    "without_net_amount": None,
    "installment_interest_amount": None,
    "attributes": {},
    "attributes_kwargs": {},
    "image": None,
    "price_list": _EXAMPLE_LIST,
    "stock_list": {**_EXAMPLE_LIST, "pk": 34, "name": "test_stok_list"},
    "extra_field": {"price_extra_field": {}, "stock_extra_field": {}},
    "parent_omnitron_id": None,
}
OMS_DETAILED_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "state": {
        "id": 450,
        "created_date": "2021-01-01T00:00:00Z",
        "modified_date": "2021-01-01T00:00:00Z",
        "translations": {"en-us": {"name": "Preparing"}, "tr-tr": {"name": "Hazırlanıyor"}},
        "name": "Preparing",
        "config": {},
        "enum_class": "OrderStatus",
        "enum_value": "450",
        "content_type": 21,
    },
    "product": {
        "id": 8,
        "productimage_set": [
            {"order": 1, "id": 1, "url": "https://cdn.example.com/products/2021/03/17/8/604303c1.jpg", "product": 8}
        ],
        "created_date": "2021-07-07T08:17:49.890983Z",
        "modified_date": "2022-02-09T08:14:57.425198Z",
        "omnitron_id": 8,
        "name": "Urun8",
        "base_code": "8",
        "sku": "8",
        "barcode": None,
        "attributes": {"renk": "SİYAH", "beden": "L"},
        "attributes_kwargs": {
            "renk": {"label": "SİYAH", "value": "SİYAH", "data_type": "dropdown"},
            "beden": {"label": "Large", "value": "L", "data_type": "dropdown"},
        },
        "extra_attributes": {},
        "remote_modified_date": "2022-02-09T08:14:57.425198Z",
    },
    **_EXAMPLE_COMMON,
    "order": 1,
}
OMS_SIMPLE_EXAMPLE: dict[str, Any] = {"id": 1, **_EXAMPLE_COMMON, "state": 450, "order": 1, "product": 8}
