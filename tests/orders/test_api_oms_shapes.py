"""The OMS order-item shapes against seed 001's three example objects, and their values."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from orders.models import OrderItem
from orders.serializers.oms import (
    OMS_DETAILED_EXAMPLE,
    OMS_SIMPLE_EXAMPLE,
    OmsOrderItemSerializer,
    OmsOrderItemSimpleSerializer,
)
from orders.shapes import oms_state
from orders.statuses import STATUS_INFO
from tests.factories import (
    OrderFactory,
    OrderItemFactory,
    PriceListFactory,
    ProductFactory,
    ProductImageFactory,
    ProductPriceFactory,
    ProductStockFactory,
    StockListFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/oms/order_items/"
SIMPLE_URL = "/api/v1/oms/order_items/list-simple/"

# Seed 001, verbatim: the list item, the list-simple item and the single item.
_SEED_ATTRIBUTES = {
    "renk": "SİYAH",
    "beden": "L",
    "integration_size": "L",
    "integration_color": "SİYAH",
    "integration_gram1": "One size",
    "integration_SizeId": "S",
    "integration_ColorId": "SİYAH",
}
_SEED_ATTRIBUTES_KWARGS = {
    "renk": {"label": "SİYAH", "value": "SİYAH", "data_type": "dropdown"},
    "beden": {"label": "Large", "value": "L", "data_type": "dropdown"},
    "integration_size": {"label": "L", "value": "L", "data_type": "dropdown"},
    "integration_color": {"label": "BLACK", "value": "SİYAH", "data_type": "dropdown"},
    "integration_gram1": {"label": "One Size", "value": "One size", "data_type": "dropdown"},
    "integration_SizeId": {"label": "S", "value": "S", "data_type": "dropdown"},
    "integration_ColorId": {"label": "SİYAH", "value": "SİYAH", "data_type": "dropdown"},
}
# The fields the list item and the list-simple item share, in their order.
_SEED_ITEM_COMMON = {
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
    "price_list": {
        "pk": 1,
        "code": None,
        "name": "test_fiyat_list",
        "created_date": "2021-02-25T13:41:08.252536Z",
        "is_auto_sync": False,
        "modified_date": "2021-02-25T13:41:08.252562Z",
    },
    "stock_list": {
        "pk": 34,
        "code": None,
        "name": "test_stok_list",
        "created_date": "2021-02-25T13:41:20.523128Z",
        "is_auto_sync": False,
        "modified_date": "2021-02-25T13:41:20.523152Z",
    },
    "extra_field": {"price_extra_field": {}, "stock_extra_field": {}},
    "parent_omnitron_id": None,
}
SEED_LIST_ITEM = {
    "id": 1,
    "state": {
        "id": 1,
        "created_date": "2021-06-30T14:43:26.801262Z",
        "modified_date": "2022-10-14T10:39:33.568211Z",
        "translations": {"en-us": {"name": "Preparing"}, "tr-tr": {"name": "Hazırlanıyor"}},
        "name": "Preparing",
        "config": {},
        "enum_class": "OrderStatus",
        "enum_value": "450",
        "content_type": 1,
    },
    "product": {
        "id": 1,
        "productimage_set": [
            {
                "order": 1,
                "id": 1,
                "url": "https://{cdn_url}/products/2021/03/17/8/604303c1-e2f9-4e78-a666-67d75bbca1e3.jpg",
                "product": 1,
            }
        ],
        "created_date": "2021-07-07T08:17:49.890983Z",
        "modified_date": "2022-02-09T08:14:57.425198Z",
        "omnitron_id": 8,
        "name": "Urun8",
        "base_code": "8",
        "sku": "8",
        "barcode": None,
        "attributes": _SEED_ATTRIBUTES,
        "attributes_kwargs": _SEED_ATTRIBUTES_KWARGS,
        "extra_attributes": {},
        "remote_modified_date": "2022-02-03T11:53:24.467975Z",
    },
    **_SEED_ITEM_COMMON,
    "order": 1,
}
SEED_SIMPLE_ITEM = {
    "id": 1,
    **_SEED_ITEM_COMMON,
    "state": 1,
    "order": 1,
    "product": 1,
}
SEED_DETAIL_ITEM = {
    **SEED_LIST_ITEM,
    "state": {**SEED_LIST_ITEM["state"], "content_type": 3},
    "product": {**SEED_LIST_ITEM["product"], "omnitron_id": 1},
    "price_list": {**SEED_LIST_ITEM["price_list"], "name": "pz_fiyat_list"},
    "stock_list": {**SEED_LIST_ITEM["stock_list"], "pk": 1, "name": "pz_stok_list"},
}

# Free-form JSON values: their keys are data, not shape.
OPAQUE_KEYS = {
    "attributes",
    "attributes_kwargs",
    "extra_attributes",
    "config",
    "price_extra_field",
    "stock_extra_field",
}


def key_shape(value, key=None):
    """The nested key structure of a JSON value, in key order (lists by their first element)."""
    if key in OPAQUE_KEYS:
        return "json"
    if isinstance(value, dict):
        return [(name, key_shape(child, name)) for name, child in value.items()]
    if isinstance(value, list):
        return [key_shape(value[0])] if value else []
    return "value"


def serializer_shape(field, name=None):
    """The same structure as declared by a (nested) DRF serializer."""
    if name in OPAQUE_KEYS:
        return "json"
    if isinstance(field, serializers.ListSerializer):
        return [serializer_shape(field.child)]
    if isinstance(field, serializers.Serializer):
        return [(child_name, serializer_shape(child, child_name)) for child_name, child in field.fields.items()]
    return "value"


@pytest.fixture
def seed_like_item(channel):
    """An item shaped like the seed's: product with an image, price and stock lists."""
    product = ProductFactory(
        name="Urun8",
        sku="8",
        base_code="8",
        barcode=None,
        attributes=_SEED_ATTRIBUTES,
        attributes_kwargs=_SEED_ATTRIBUTES_KWARGS,
    )
    ProductImageFactory(product=product, order=1)
    order = OrderFactory(channel=channel, status="450")
    return OrderItemFactory(
        order=order, product=product, price=Decimal("599.99"), retail_price=Decimal("1000"), tax_rate=Decimal("8")
    )


@pytest.mark.parametrize(
    "url, seed", [(LIST_URL, SEED_LIST_ITEM), (SIMPLE_URL, SEED_SIMPLE_ITEM)], ids=["detailed-list", "list-simple"]
)
def test_a_list_item_has_the_seed_keys(member_client, seed_like_item, url, seed):
    response = member_client.get(url)

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert key_shape(body["results"][0]) == key_shape(seed)


def test_detail_has_the_seed_keys(member_client, seed_like_item):
    response = member_client.get(f"{LIST_URL}{seed_like_item.pk}/")

    assert response.status_code == 200
    assert key_shape(response.json()) == key_shape(SEED_DETAIL_ITEM)


@pytest.mark.parametrize(
    "path, serializer",
    [
        ("", OmsOrderItemSerializer()),
        ("list-simple/", OmsOrderItemSimpleSerializer()),
        ("{pk}/", OmsOrderItemSerializer()),
    ],
    ids=["detailed-list", "list-simple", "detail"],
)
def test_fast_builder_keys_equal_the_schema_serializer_fields(member_client, seed_like_item, path, serializer):
    body = member_client.get(LIST_URL + path.format(pk=seed_like_item.pk)).json()
    item = body["results"][0] if "results" in body else body

    assert key_shape(item) == serializer_shape(serializer)


@pytest.mark.parametrize(
    "example, seed", [(OMS_DETAILED_EXAMPLE, SEED_LIST_ITEM), (OMS_SIMPLE_EXAMPLE, SEED_SIMPLE_ITEM)]
)
def test_openapi_examples_are_shaped_like_the_seed(example, seed):
    assert key_shape(example) == key_shape(seed)


def test_detailed_item_values(member_client, channel):
    price_list = PriceListFactory(code=None, name="test_fiyat_list")
    stock_list = StockListFactory(code=None, name="test_stok_list", is_auto_sync=True)
    product = ProductFactory(name="Urun8", sku="8", base_code="8", barcode=None, extra_attributes={"season": "SS24"})
    second_image = ProductImageFactory(product=product, order=2, url="https://cdn.example.com/8-b.jpg")
    first_image = ProductImageFactory(product=product, order=1, url="https://cdn.example.com/8-a.jpg")
    ProductPriceFactory(price_list=price_list, product=product, extra_field={"campaign": "summer"})
    ProductStockFactory(stock_list=stock_list, product=product, extra_field={"warehouse": "IST"})
    order = OrderFactory(channel=channel, status="450")
    parent = OrderItemFactory(order=order, product=product, price_list=price_list, stock_list=stock_list)
    item = OrderItemFactory(
        order=order,
        product=product,
        parent=parent,
        status="450",
        price=Decimal("599.99"),
        discount_amount=Decimal("100.00"),
        retail_price=Decimal("1000"),
        tax_rate=Decimal("8"),
        tax_amount=Decimal("37.04"),
        installment_interest_amount=Decimal("5.5"),
        price_list=price_list,
        stock_list=stock_list,
        image="https://cdn.example.com/item.jpg",
        attributes={"gift_note": "Happy birthday"},
        attributes_kwargs={"gift_note": {"label": "Gift note", "value": "Happy birthday"}},
    )
    item.refresh_from_db()
    product.refresh_from_db()
    price_list.refresh_from_db()
    stock_list.refresh_from_db()

    response = member_client.get(f"{LIST_URL}{item.pk}/")

    assert response.status_code == 200

    def iso(value):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

    list_dict = {
        "pk": price_list.pk,
        "code": None,
        "name": "test_fiyat_list",
        "created_date": iso(price_list.created_date),
        "is_auto_sync": False,
        "modified_date": iso(price_list.modified_date),
    }
    assert response.json() == {
        "id": item.pk,
        "state": {
            "id": 450,
            "created_date": "2021-01-01T00:00:00Z",
            "modified_date": "2021-01-01T00:00:00Z",
            "translations": {"en-us": {"name": "Preparing"}, "tr-tr": {"name": "Hazırlanıyor"}},
            "name": "Preparing",
            "config": {},
            "enum_class": "OrderStatus",
            "enum_value": "450",
            "content_type": ContentType.objects.get_for_model(OrderItem).id,
        },
        "product": {
            "id": product.pk,
            "productimage_set": [
                {"order": 1, "id": first_image.pk, "url": "https://cdn.example.com/8-a.jpg", "product": product.pk},
                {"order": 2, "id": second_image.pk, "url": "https://cdn.example.com/8-b.jpg", "product": product.pk},
            ],
            "created_date": iso(product.created_date),
            "modified_date": iso(product.modified_date),
            "omnitron_id": product.pk,
            "name": "Urun8",
            "base_code": "8",
            "sku": "8",
            "barcode": None,
            "attributes": product.attributes,
            "attributes_kwargs": product.attributes_kwargs,
            "extra_attributes": {"season": "SS24"},
            "remote_modified_date": iso(product.modified_date),
        },
        "created_date": iso(item.created_date),
        "modified_date": iso(item.modified_date),
        "omnitron_id": item.pk,
        "net_amount": "499.99",
        "price": "599.99",
        "price_currency": "try",
        "retail_price": "1000.00",
        "tax_rate": "8.00",
        "tax_amount": "37.04",
        "discount_amount": "100.00",
        "without_net_amount": "462.95",
        "installment_interest_amount": "5.50",
        "attributes": {"gift_note": "Happy birthday"},
        "attributes_kwargs": {"gift_note": {"label": "Gift note", "value": "Happy birthday"}},
        "image": "https://cdn.example.com/item.jpg",
        "price_list": list_dict,
        "stock_list": {
            **list_dict,
            "pk": stock_list.pk,
            "name": "test_stok_list",
            "is_auto_sync": True,
            "created_date": iso(stock_list.created_date),
            "modified_date": iso(stock_list.modified_date),
        },
        "extra_field": {"price_extra_field": {"campaign": "summer"}, "stock_extra_field": {"warehouse": "IST"}},
        "parent_omnitron_id": parent.pk,
        "order": order.pk,
    }


def test_list_simple_carries_ids_and_the_same_state_id_as_the_detailed_state(member_client, channel):
    order = OrderFactory(channel=channel, status="450")
    item = OrderItemFactory(order=order, status="550")

    detailed = member_client.get(LIST_URL).json()["results"][0]
    simple = member_client.get(SIMPLE_URL).json()["results"][0]

    assert detailed["state"]["id"] == simple["state"] == 550
    assert detailed["state"]["enum_value"] == "550"
    assert (simple["id"], simple["omnitron_id"], simple["order"], simple["product"]) == (
        item.pk,
        item.pk,
        order.pk,
        item.product_id,
    )
    assert {key: value for key, value in simple.items() if key not in {"state", "order", "product"}} == {
        key: value for key, value in detailed.items() if key not in {"state", "order", "product"}
    }


def test_missing_lists_images_and_tax_give_nulls_and_empty_values(member_client, channel):
    product = ProductFactory()
    order = OrderFactory(channel=channel)
    OrderItemFactory(order=order, product=product, price_list=None, stock_list=None, image="", tax_amount=None)

    item = member_client.get(LIST_URL).json()["results"][0]

    assert item["product"]["productimage_set"] == []
    assert item["price_list"] is None
    assert item["stock_list"] is None
    assert item["extra_field"] == {"price_extra_field": {}, "stock_extra_field": {}}
    assert item["image"] is None
    assert item["tax_amount"] is None
    assert item["without_net_amount"] is None
    assert item["parent_omnitron_id"] is None


def test_extra_fields_come_from_the_items_own_price_and_stock_lists(member_client, channel):
    """A product priced in several lists shows the extra field of the item's list only."""
    product = ProductFactory()
    other_prices = PriceListFactory()
    ProductPriceFactory(price_list=other_prices, product=product, extra_field={"list": "other"})
    ProductPriceFactory(price_list=channel.catalog.price_list, product=product, extra_field={"list": "channel"})
    order = OrderFactory(channel=channel)
    mine = OrderItemFactory(order=order, product=product)
    other = OrderItemFactory(order=order, product=product, price_list=other_prices)

    results = {row["id"]: row for row in member_client.get(LIST_URL).json()["results"]}

    assert results[mine.pk]["extra_field"]["price_extra_field"] == {"list": "channel"}
    assert results[other.pk]["extra_field"]["price_extra_field"] == {"list": "other"}


@pytest.mark.parametrize("code", list(STATUS_INFO))
def test_every_status_has_a_state_from_the_status_table(code):
    info = STATUS_INFO[code]

    state = oms_state(code, content_type_id=7)

    assert state == {
        "id": int(code),
        "created_date": datetime(2021, 1, 1, tzinfo=UTC),
        "modified_date": datetime(2021, 1, 1, tzinfo=UTC),
        "translations": {"en-us": {"name": info.en}, "tr-tr": {"name": info.tr}},
        "name": info.en,
        "config": {},
        "enum_class": "OrderStatus",
        "enum_value": code,
        "content_type": 7,
    }
