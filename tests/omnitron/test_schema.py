"""The OpenAPI document validates, declares the Token scheme, and the docs work offline."""

import pytest
import yaml
from openapi_spec_validator import validate

from omnitron.schema import AUTHORIZE_HELP

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
        assert set(success["headers"]) == ratelimit, (path, method)


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
