"""The OpenAPI description of create_orders, customers and addresses matches what they answer."""

import pytest

from orders.schema import example_load
from orders.serializers.create import (
    ORDER_CREATED_KEYS,
    CreateOrderDryRunResponseSerializer,
    CreateOrderResponseSerializer,
)
from orders.serializers.items import ORDER_ITEM_FLAT_KEYS
from tests.orders.create_orders_support import SEED_REQUEST

pytestmark = pytest.mark.django_db


def test_the_response_serializers_declare_the_keys_the_builders_emit():
    assert tuple(CreateOrderResponseSerializer().fields) == ORDER_CREATED_KEYS
    assert tuple(CreateOrderResponseSerializer().fields["orderitem_set"].child.fields) == ORDER_ITEM_FLAT_KEYS
    dry_run_fields = tuple(CreateOrderDryRunResponseSerializer().fields)
    assert dry_run_fields == (*(key for key in ORDER_CREATED_KEYS if key != "pk"), "items_total", "oversold")


def test_create_orders_is_documented_with_every_answer_and_the_seed_example(schema):
    operation = schema["paths"]["/api/v1/channel/{channel_id}/create_orders/"]["post"]
    assert set(operation["responses"]) == {
        "200",
        "201",
        "400",
        "401",
        "403",
        "404",
        "406",
        "409",
        "413",
        "415",
        "422",
        "429",
        "503",
    }
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert examples["Seed003Request"]["value"] == SEED_REQUEST
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"channel_id", "Idempotency-Key", "dry_run"}
    assert set(operation["responses"]["406"]["content"]["application/json"]["examples"]) == {
        "OrderNumberExists",
        "InsufficientStock",
        "InactiveProduct",
    }


def test_the_created_example_has_the_keys_the_builder_emits_in_its_order():
    created = next(entry for entry in example_load("create_orders_responses") if entry["name"] == "Created")
    assert created["status"] == 201
    assert tuple(created["value"]) == ORDER_CREATED_KEYS
    assert [tuple(item) for item in created["value"]["orderitem_set"]] == [ORDER_ITEM_FLAT_KEYS]
    order_fields = {key: value for key, value in SEED_REQUEST["order"].items() if key in ("number", "notes", "segment")}
    assert {key: created["value"][key] for key in order_fields} == order_fields


def test_every_response_example_is_documented_under_its_status(schema):
    responses = schema["paths"]["/api/v1/channel/{channel_id}/create_orders/"]["post"]["responses"]
    for entry in example_load("create_orders_responses"):
        examples = responses[str(entry["status"])]["content"]["application/json"]["examples"]
        assert entry["value"] in [example["value"] for example in examples.values()], entry["name"]


@pytest.mark.parametrize("resource", ["customers", "addresses"])
def test_customers_and_addresses_are_documented(schema, resource):
    paths = schema["paths"]
    assert set(paths[f"/api/v1/channel/{{channel_id}}/{resource}/"]) == {"get", "post"}
    assert set(paths[f"/api/v1/channel/{{channel_id}}/{resource}/{{id}}/"]) == {"get", "put", "patch"}
