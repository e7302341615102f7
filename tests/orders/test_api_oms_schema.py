"""The OpenAPI document describes the OMS order items with seed-shaped examples."""

import pytest

from tests.orders.test_api_oms_shapes import SEED_DETAIL_ITEM, SEED_LIST_ITEM, SEED_SIMPLE_ITEM, key_shape

pytestmark = pytest.mark.django_db

LIST_PARAMETERS = [
    "cursor",
    "limit",
    "modified_date__gt",
    "modified_date__gte",
    "modified_date__lt",
    "modified_date__lte",
    "order_number",
    "page",
    "sort",
    "status",
]


def example_of(operation, status="200"):
    examples = operation["responses"][status]["content"]["application/json"]["examples"]
    (example,) = examples.values()
    return example["value"]


@pytest.mark.parametrize(
    "path, operation_id, component, seed",
    [
        ("/api/v1/oms/order_items/", "oms_order_items_list", "OmsOrderItem", SEED_LIST_ITEM),
        ("/api/v1/oms/order_items/list-simple/", "oms_order_items_list_simple", "OmsOrderItemSimple", SEED_SIMPLE_ITEM),
    ],
)
def test_list_operations(schema, path, operation_id, component, seed):
    operation = schema["paths"][path]["get"]

    assert operation["operationId"] == operation_id
    assert sorted(parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "query") == (
        LIST_PARAMETERS
    )
    assert sorted(operation["responses"]) == ["200", "400", "401", "404", "429", "503"]
    page_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert page_schema["$ref"].endswith(f"/Paginated{component}List")
    example = example_of(operation)
    assert list(example) == ["count", "next", "previous", "results"]
    assert key_shape(example["results"][0]) == key_shape(seed)


def test_detail_operation(schema):
    operation = schema["paths"]["/api/v1/oms/order_items/{id}/"]["get"]

    assert operation["operationId"] == "oms_order_items_retrieve"
    assert [parameter["name"] for parameter in operation["parameters"] if parameter["in"] != "header"] == ["id"]
    assert sorted(operation["responses"]) == ["200", "401", "404", "429", "503"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/OmsOrderItem")
    assert key_shape(example_of(operation)) == key_shape(SEED_DETAIL_ITEM)


def test_state_id_is_documented(schema):
    components = schema["components"]["schemas"]

    assert "numeric code" in components["OmsState"]["properties"]["id"]["description"]
    assert (
        components["OmsOrderItemSimple"]["properties"]["state"]["description"]
        == (components["OmsState"]["properties"]["id"]["description"])
    )
