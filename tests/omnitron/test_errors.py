"""Bad bodies answer clear 4xx JSON errors (never 500) and are not processed."""

import pytest
from django.test import override_settings

from omnitron.models import APIToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/api/v1/auth/login/"


def test_malformed_json_is_400(anon_client):
    response = anon_client.generic("POST", LOGIN, b'{"username": "a",', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"].startswith("JSON parse error")


def test_form_body_is_415(anon_client):
    response = anon_client.generic(
        "POST", LOGIN, b"username=a&password=b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_body_over_the_limit_is_413(anon_client):
    UserFactory(username="erp")
    body = b'{"username": "erp", "password": "' + b"x" * 2000 + b'"}'
    response = anon_client.generic("POST", LOGIN, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body is larger than 1024 bytes.", "code": "payload_too_large"}
    assert APIToken.objects.count() == 0


def test_deeply_nested_json_is_400(anon_client):
    body = b"[" * 100_000 + b"]" * 100_000
    response = anon_client.generic("POST", LOGIN, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity_are_400(anon_client, literal):
    response = anon_client.generic("POST", LOGIN, b'{"username": ' + literal + b"}", content_type="application/json")
    assert response.status_code == 400


def test_nul_characters_in_strings_are_400(anon_client):
    UserFactory(username="erp")
    body = b'{"username": "erp", "password": "pw\\u0000x"}'
    response = anon_client.generic("POST", LOGIN, body, content_type="application/json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert APIToken.objects.count() == 0


def test_unknown_api_url_is_json_404(anon_client):
    response = anon_client.get("/api/v1/does-not-exist/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
