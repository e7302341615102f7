"""The OpenAPI document validates, declares the Token scheme, and the docs work offline."""

import pytest
import yaml
from openapi_spec_validator import validate

from omnitron.unknown_input import RESPONSE_HEADERS as UNKNOWN_INPUT_HEADERS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi(schema):
    validate(yaml.safe_load(yaml.safe_dump(schema)))


def test_schema_declares_token_security(schema):
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
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


def test_every_operation_documents_the_handling_of_unknown_input(schema):
    """``Prefer: handling=strict`` and the headers naming ignored input, on every response."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            prefer = [parameter for parameter in operation["parameters"] if parameter["name"] == "Prefer"]
            assert [(parameter["in"], parameter["schema"]["enum"]) for parameter in prefer] == [
                ("header", ["handling=strict", "handling=lenient"])
            ], (path, method)
            for code, response in operation["responses"].items():
                assert set(UNKNOWN_INPUT_HEADERS) <= set(response["headers"]), (path, method, code)
