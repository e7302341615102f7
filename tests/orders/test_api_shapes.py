"""Every order list and lookup answers what ``/api/schema/`` documents: types and nullability.

Each body is validated against its operation's documented 200 schema (OpenAPI 3.0, with formats),
on data where every nullable field of the fast-path shapes is null on one object and set on another.
drf-spectacular documents a nullable nested object as ``{allOf: [$ref], nullable: true}``, which a
strict OAS 3.0.3 validator reads as not nullable (``nullable`` needs a ``type`` beside it); clients and
schemathesis read it as nullable, and so does ``nullable_refs`` here.
"""

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from jsonschema import ValidationError
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from catalog.models import Product, ProductPrice
from channels.models import IntegrationMapping, IntegrationType
from orders.models import OrderItem
from orders.shapes import (
    OMS_ORDER_ITEM,
    OMS_ORDER_ITEM_SIMPLE,
    ORDER_ITEM_DETAILED,
    ORDER_ITEM_DETAILED_INTEGRATION,
    ORDER_ITEM_FLAT,
)
from tests.factories import (
    AddressFactory,
    CargoCompanyFactory,
    CustomerFactory,
    OrderFactory,
    OrderItemFactory,
    PaymentOptionFactory,
    PriceListFactory,
    ProductFactory,
    ProductImageFactory,
    ProductStockFactory,
    StockListFactory,
)

pytestmark = pytest.mark.django_db

# The fast-path components whose every nullable property the data below shows both null and set.
COVERED = {
    "OrderItem",
    "OrderItemDetailed",
    "OrderItemDetailedIntegration",
    "ProductBrief",
    "StockListBrief",
    "PriceListBrief",
    "OrderI1",
    "OrderItemI1",
    "AddressI1",
    "CustomerI1",
    "OmsOrderItem",
    "OmsOrderItemSimple",
    "OmsProduct",
    "OmsListRef",
}


@pytest.fixture(scope="module")
def schema(schema):
    """The document as JSON sees it (the validator reads plain strings, not lazy ones)."""
    return json.loads(json.dumps(schema, default=str))


@pytest.fixture
def world(channel):
    """Two orders of ``channel``: every nullable value set on the first, null on the second."""
    catalog = channel.catalog
    full_customer = CustomerFactory(channel=channel, phone_number="05551112233")
    full = OrderFactory(
        channel=channel,
        customer=full_customer,
        shipping_address=AddressFactory(customer=full_customer, company_name="Acme", tax_office="Kadıköy"),
        billing_address=AddressFactory(customer=full_customer, notes="Ring twice", tax_no="123", identity_number="1"),
        status="500",
        shipping_tax_rate=Decimal("20"),
        payment_option=PaymentOptionFactory(),
        payment_option_slug="credit-card",
        bin_number="454360",
        installment=3,
        cargo_company=CargoCompanyFactory(),
        invoice_number="INV-1",
        invoice_date=timezone.now(),
        e_archive_url="https://e.example.com/1",
        tracking_number="TRK-1",
        carrier_shipping_code="CSC-1",
        remote_addr="10.0.0.1",
        gift_box_note="For you",
        external_status=7,
    )
    sparse_customer = CustomerFactory(channel=channel, phone_number=None)
    city = full.shipping_address.city
    sparse = OrderFactory(
        channel=channel,
        customer=sparse_customer,
        shipping_address=AddressFactory(
            customer=sparse_customer,
            district=None,
            township=None,
            city=city,
            country=city.country,
            email=None,
            phone_number=None,
            postcode=None,
        ),
    )
    full_product = ProductFactory()
    ProductImageFactory(product=full_product)
    sparse_product = ProductFactory(base_code=None, barcode=None)
    ProductStockFactory(stock_list=catalog.stock_list, product=full_product)
    ProductPrice.objects.filter(price_list=catalog.price_list).delete()
    parent = OrderItemFactory(order=full, product=sparse_product)
    item = OrderItemFactory(
        order=full,
        product=full_product,
        parent=parent,
        shipping_company="yurtici",
        defined_shipping_company="aras",
        shipment_code="SHP-1",
        cancel_status="waiting",
        installment_interest_amount=Decimal("1.50"),
        datasource=1,
        cancellation_reconciliation=2,
        reconciliation=3,
        forced_refund=True,
        original_stock=4,
        shipping_option_group=5,
        retail_price=Decimal("120"),
        tax_amount=Decimal("16.67"),
        tracking_number="TRK-2",
        carrier_shipping_code="CSC-2",
        invoice_number="INV-2",
        invoice_date=timezone.now(),
        e_archive_url="https://e.example.com/2",
        estimated_delivery_date=date(2025, 3, 1),
        defined_tracking_url="https://track.example.com/2",
        image="https://cdn.example.com/i/2.jpg",
        external_status=9,
    )
    OrderItemFactory(order=sparse, product=sparse_product, price_list=None, stock_list=None)
    OrderItemFactory(
        order=sparse,
        product=sparse_product,
        price_list=PriceListFactory(code=None),
        stock_list=StockListFactory(code=None),
    )
    for model, object_id in ((OrderItem, item.pk), (Product, full_product.pk)):
        IntegrationMapping.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=object_id,
            integration_type=IntegrationType.EXTERNAL_COMPANY,
            code=f"ERP-{object_id}",
        )
    return {"channel": channel.pk, "full": full, "sparse": sparse, "item": item}


def lists_and_lookups(world) -> list[tuple[str, str]]:
    """(documented path, requested path) of every order list and lookup."""
    channel, order, item = world["channel"], world["full"].pk, world["item"].pk
    number = world["sparse"].number
    return [
        ("/api/v1/channel/{channel_id}/order_items/", f"/api/v1/channel/{channel}/order_items/"),
        ("/api/v1/channel/{channel_id}/order_items/detailed/", f"/api/v1/channel/{channel}/order_items/detailed/"),
        (
            "/api/v1/channel/{channel_id}/order_items/detailed_integration/",
            f"/api/v1/channel/{channel}/order_items/detailed_integration/",
        ),
        ("/api/v1/channel/{channel_id}/order_items/{id}/", f"/api/v1/channel/{channel}/order_items/{item}/"),
        ("/api/v1/channel/{channel_id}/orders/", f"/api/v1/channel/{channel}/orders/"),
        ("/api/v1/channel/{channel_id}/orders/{id}/", f"/api/v1/channel/{channel}/orders/{order}/"),
        ("/api/v1/order_number/{number}/", f"/api/v1/order_number/{number}/"),
        ("/api/i1/orders/", "/api/i1/orders/"),
        ("/api/i1/orders/{id}/", f"/api/i1/orders/{order}/"),
        ("/api/i1/orders/{id}/events/", f"/api/i1/orders/{order}/events/"),
        ("/api/i1/order_items/", "/api/i1/order_items/"),
        ("/api/i1/order_items/{id}/", f"/api/i1/order_items/{item}/"),
        ("/api/v1/oms/order_items/", "/api/v1/oms/order_items/"),
        ("/api/v1/oms/order_items/list-simple/", "/api/v1/oms/order_items/list-simple/"),
        ("/api/v1/oms/order_items/{id}/", f"/api/v1/oms/order_items/{item}/"),
    ]


def nullable_refs(node):
    """``{allOf: [...], nullable: true}`` (no ``type``) as ``anyOf`` the schema or null, at any depth."""
    if isinstance(node, list):
        return [nullable_refs(entry) for entry in node]
    if not isinstance(node, dict):
        return node
    node = {key: nullable_refs(value) for key, value in node.items()}
    if node.get("nullable") is True and "type" not in node:
        rest = {key: value for key, value in node.items() if key != "nullable"}
        return {"anyOf": [rest, {"enum": [None], "nullable": True}]}
    return node


def documented(schema: dict, path: str) -> dict:
    """The 200 body schema of ``GET path``, with the document's components for its references."""
    body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return {**body, "components": schema["components"]}


def validator_for(schema: dict, path: str) -> OAS30Validator:
    return OAS30Validator(nullable_refs(documented(schema, path)), format_checker=oas30_format_checker)


def nullability_seen(body, node: dict, components: dict, seen: dict, name: str | None = None) -> None:
    """Record, per (component, property) documented nullable, whether the body showed None and a value."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = components[name]
    for part in node.get("allOf", []):
        nullability_seen(body, part, components, seen, name)
    if isinstance(body, list) and "items" in node:
        for entry in body:
            nullability_seen(entry, node["items"], components, seen)
    if isinstance(body, dict):
        for key, prop in node.get("properties", {}).items():
            if key not in body:
                continue
            if prop.get("nullable"):
                seen[name, key].add(body[key] is None)
            if body[key] is not None:
                nullability_seen(body[key], prop, components, seen)


def test_every_order_list_and_lookup_answers_its_documented_schema(member_client, schema, world):
    # Given orders and items whose nullable values are set on one and null on the other
    seen: dict[tuple[str, str], set[bool]] = defaultdict(set)
    for path, url in lists_and_lookups(world):
        # When each list and lookup is read
        response = member_client.get(url, {"limit": 100} if url.endswith("s/") else None)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        # Then the body validates against the documented schema, types, formats and nulls included
        validator = validator_for(schema, path)
        errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
        assert [(url, list(error.absolute_path), error.message[:120]) for error in errors] == []
        nullability_seen(body, documented(schema, path), schema["components"]["schemas"], seen)
    assert all(body for body in seen.values())
    # And every nullable property of the fast-path shapes was seen both null and set
    nullable = {
        (name, key)
        for name in COVERED
        for key, prop in schema["components"]["schemas"][name]["properties"].items()
        if prop.get("nullable")
    }
    assert sorted(pair for pair in nullable if seen[pair] != {True, False}) == []


def test_a_value_of_the_wrong_type_or_an_unexpected_null_fails_the_check(member_client, schema, world):
    # Given a real flat item body
    path, url = lists_and_lookups(world)[3]
    body = member_client.get(url).json()
    validator = validator_for(schema, path)
    assert list(validator.iter_errors(body)) == []
    # When a money string becomes a number, or a non-nullable value becomes null
    # Then the check refuses each
    for key, value in (("price", 100), ("order", None), ("created_date", "yesterday"), ("is_tradable", "yes")):
        with pytest.raises(ValidationError):
            validator.validate({**body, key: value})


@pytest.mark.parametrize(
    "shape", [ORDER_ITEM_FLAT, ORDER_ITEM_DETAILED, ORDER_ITEM_DETAILED_INTEGRATION, OMS_ORDER_ITEM]
)
def test_the_documented_component_has_the_shapes_keys_in_order(schema, shape):
    component = schema["components"]["schemas"][shape.name]
    assert tuple(component["properties"]) == shape.keys
    assert sorted(component["required"]) == sorted(shape.keys)


def test_both_oms_shapes_read_the_same_columns():
    assert set(OMS_ORDER_ITEM_SIMPLE.columns) == set(OMS_ORDER_ITEM.columns)
