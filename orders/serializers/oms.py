"""The OMS order-item representations (seed 001): detailed and list-simple.

The shapes, their builders (``oms_order_items_detailed``, ``oms_order_items_simple``) and the
``state`` object are declared in ``orders.shapes``; this module holds their documented
serializers and OpenAPI examples.
"""

from typing import Any

from omnitron.shape_serializers import shape_serializer
from orders.shapes import OMS_ORDER_ITEM, OMS_ORDER_ITEM_SIMPLE

OmsOrderItemSerializer = shape_serializer(OMS_ORDER_ITEM)
OmsOrderItemSimpleSerializer = shape_serializer(OMS_ORDER_ITEM_SIMPLE)


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
