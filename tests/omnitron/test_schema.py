"""The OpenAPI document validates, declares the Token scheme, and the docs work offline."""

import re

import pytest
import yaml
from openapi_spec_validator import validate

from omnitron.schema import AUTHORIZE_HELP
from omnitron.unknown_input import RESPONSE_HEADERS as UNKNOWN_INPUT_HEADERS

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi(schema):
    validate(yaml.safe_load(yaml.safe_dump(schema)))


def test_schema_declares_token_security(schema):
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": AUTHORIZE_HELP,
    }


def test_schema_endpoint_serves_yaml(anon_client):
    response = anon_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3.0.3" in response.content


@pytest.mark.parametrize("path, asset", [("/api/docs/", "swagger-ui-dist"), ("/api/redoc/", "redoc")])
def test_docs_pages_use_bundled_assets(anon_client, path, asset):
    response = anon_client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/static/drf_spectacular_sidecar/{asset}" in html
    assert "cdn.jsdelivr.net" not in html


def test_every_operation_documents_throttling(schema):
    """Every API operation is throttled: 429 with Retry-After and the RateLimit-* headers."""
    ratelimit = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert operations
    for path, method, operation in operations:
        refusal = operation["responses"]["429"]
        assert refusal["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ThrottledError"}
        assert {name for name, header in refusal["headers"].items() if header.get("required")} == ratelimit | {
            "Retry-After"
        }, (path, method)
        success = next(response for code, response in operation["responses"].items() if code.startswith("2"))
        assert set(success["headers"]) == ratelimit | set(UNKNOWN_INPUT_HEADERS), (path, method)


def test_every_write_documents_the_write_conflict_answer(schema):
    """Writes may answer 503 write_conflict (retried collisions, nothing written) with Retry-After."""
    writes = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"post", "put", "patch", "delete"}
    ]
    assert writes
    for path, method, operation in writes:
        unavailable = operation["responses"]["503"]
        examples = unavailable["content"]["application/json"]["examples"]
        assert examples["Writeconflict"]["value"]["code"] == "write_conflict", (path, method)
        assert examples["Databaseunavailable"]["value"]["code"] == "service_unavailable", (path, method)
        assert unavailable["headers"]["Retry-After"]["required"] is True, (path, method)
    reads = [item["get"] for item in schema["paths"].values() if "get" in item]
    assert all(
        "Writeconflict" not in get["responses"]["503"]["content"]["application/json"]["examples"] for get in reads
    )


# --- The schema states what the server enforces ----------------------------------------------


def query_parameter(schema, path: str, name: str) -> dict:
    return next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)


INT64_MAX = 2**63 - 1
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 0, "maximum": INT64_MAX}


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/i1/orders/", "channel"),
        ("/api/v1/channel/{channel_id}/addresses/", "customer"),
        ("/api/v1/channel/{channel_id}/cities/", "country"),
        ("/api/v1/channel/{channel_id}/districts/", "city"),
        ("/api/v1/channel/{channel_id}/order_items/", "transaction_id"),
    ],
)
def test_id_filters_are_integers_from_zero(schema, path, name):
    parameter = query_parameter(schema, path, name)

    assert parameter["schema"] == ID_SCHEMA
    assert parameter["allowEmptyValue"] is True


@pytest.mark.parametrize(
    "path", ["/api/i1/orders/", "/api/v1/channel/{channel_id}/addresses/", "/api/v1/channel/{channel_id}/customers/"]
)
def test_id_lists_are_arrays_of_ids_with_a_maximum_length(schema, path):
    parameter = query_parameter(schema, path, "pk__in")

    assert parameter["schema"] == {"type": "array", "items": ID_SCHEMA, "maxItems": 1000}
    assert (parameter["style"], parameter["explode"]) == ("form", False)


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/i1/orders/", "is_send"),
        ("/api/v1/channel/{channel_id}/customers/", "is_active"),
        ("/api/v1/channel/{channel_id}/products/", "is_active"),
    ],
)
def test_boolean_filters_list_the_spellings_accepted(schema, path, name):
    assert query_parameter(schema, path, name)["schema"] == {
        "type": "string",
        "enum": ["true", "True", "1", "false", "False", "0"],
    }


def test_text_filters_state_their_length_and_refuse_nul(schema):
    assert query_parameter(schema, "/api/v1/channel/{channel_id}/countries/", "code")["schema"] == {
        "type": "string",
        "pattern": "^[^\\u0000]*$",
        "maxLength": 2,
    }


def test_status_filters_list_codes_and_names(schema):
    status = query_parameter(schema, "/api/i1/orders/", "status")["schema"]
    status_in = query_parameter(schema, "/api/i1/orders/", "status__in")["schema"]

    assert status["type"] == "array"
    assert "400" in status["items"]["enum"] and "approved" in status["items"]["enum"]
    assert re.fullmatch(status_in["pattern"], "400,approved,shipped")
    assert not re.fullmatch(status_in["pattern"], "400,")


def test_every_filter_and_page_parameter_admits_an_empty_value(schema):
    missing = [
        (path, parameter["name"])
        for path, item in schema["paths"].items()
        for parameter in item.get("get", {}).get("parameters", [])
        if parameter["in"] == "query" and not parameter.get("allowEmptyValue")
    ]
    assert missing == []


def test_the_order_patch_body_requires_is_send(schema):
    body = schema["paths"]["/api/i1/orders/{id}/"]["patch"]["requestBody"]

    assert body["required"] is True
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][ref]["required"] == ["is_send"]


def test_channel_partial_updates_stay_partial(schema):
    body = schema["paths"]["/api/v1/channel/{channel_id}/customers/{id}/"]["patch"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]

    assert "required" not in schema["components"]["schemas"][ref]


def test_money_patterns_need_a_digit(schema):
    price = schema["components"]["schemas"]["CreateOrderItemRequest"]["properties"]["price"]
    pattern = re.compile(price["pattern"])

    assert price["pattern"] == "^(?:\\d{1,12}(?:\\.\\d{0,2})?|\\.\\d{1,2})$"
    for accepted in ("0", "599.99", "1.", ".5", "999999999999.99"):
        assert pattern.fullmatch(accepted), accepted
    for refused in ("", ".", "-", "-1.00", "1.234", "1e2", "1000000000000"):
        assert not pattern.fullmatch(refused), refused


def test_every_operation_documents_the_handling_of_unknown_input(schema):
    """``Prefer: handling=strict`` and the headers naming ignored input, on every response."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            prefer = [parameter for parameter in operation["parameters"] if parameter["name"] == "Prefer"]
            assert [(parameter["in"], parameter["schema"]) for parameter in prefer] == [
                ("header", {"type": "string"})
            ], (path, method)
            for code, response in operation["responses"].items():
                assert set(UNKNOWN_INPUT_HEADERS) <= set(response["headers"]), (path, method, code)
