"""Every 4xx the service can give has a JSON body: Omnitron clients json-decode any 4xx body
before raising, so HTML or plain text turns their error handling into a decode error."""

import json

import pytest
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.test import Client, RequestFactory, override_settings

from omnitron.middleware import JsonClientErrorMiddleware

pytestmark = pytest.mark.django_db


def assert_json(response, status: int, body: dict) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == body


NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/nope/", "/nope", "/api/v1/channel/1/nope/", "/static/nope.css"])
def test_unknown_routes_are_json_404(anon_client, method, path):
    assert_json(getattr(anon_client, method)(path), 404, NOT_FOUND)


def test_method_not_allowed_on_an_api_route_is_json_405(anon_client):
    response = anon_client.get("/api/v1/auth/login/")
    assert_json(response, 405, {"detail": 'Method "GET" not allowed.', "code": "method_not_allowed"})


@pytest.mark.parametrize("accept", ["text/html", "application/xml"])
def test_an_accept_header_the_api_cannot_satisfy_is_json_406(member_client, channel, accept):
    response = member_client.get(f"/api/v1/channel/{channel.pk}/cargos/", HTTP_ACCEPT=accept)
    assert_json(response, 406, {"detail": "Could not satisfy the request Accept header.", "code": "not_acceptable"})


def test_a_refused_csrf_check_is_json_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/health/", data="{}", content_type="application/json")
    assert_json(response, 403, {"detail": "CSRF verification failed: CSRF cookie not set.", "code": "csrf_failed"})


def test_a_host_not_allowed_is_json_400(anon_client):
    response = anon_client.get("/api/v1/order_statuses/", HTTP_HOST="evil.example")
    assert_json(response, 400, {"detail": "Bad request.", "code": "bad_request"})


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_too_many_query_parameters_is_json_400(member_client, channel):
    query = "&".join(f"p{n}=1" for n in range(11))
    response = member_client.get(f"/api/v1/channel/{channel.pk}/customers/?{query}")
    assert_json(response, 400, {"detail": "Bad request.", "code": "bad_request"})


def test_an_unauthenticated_call_is_json_401(anon_client, channel):
    response = anon_client.get(f"/api/v1/channel/{channel.pk}/customers/")
    assert_json(response, 401, {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"})


def test_a_write_to_a_static_file_is_json_405_with_the_security_headers(anon_client):
    response = anon_client.post("/static/admin/css/base.css")
    assert_json(response, 405, {"detail": "Method Not Allowed.", "code": "method_not_allowed"})
    assert (response["Allow"], response["X-Content-Type-Options"]) == ("GET, HEAD", "nosniff")


# --- The last line of defence: a 4xx produced outside Django's views (WhiteNoise, plain views) -------


def run(response):
    return JsonClientErrorMiddleware(lambda request: response)(RequestFactory().post("/static/app.css"))


def test_a_non_json_4xx_gets_a_json_body_and_keeps_allow():
    response = run(HttpResponseNotAllowed(["GET", "HEAD"]))
    assert_json(response, 405, {"detail": "Method Not Allowed.", "code": "method_not_allowed"})
    assert response["Allow"] == "GET, HEAD"


def test_an_empty_4xx_gets_a_json_body():
    response = run(HttpResponse(status=413, headers={"Retry-After": "5"}))
    assert_json(response, 413, {"detail": "Request Entity Too Large.", "code": "request_entity_too_large"})
    assert response["Retry-After"] == "5"


def test_an_unregistered_4xx_status_gets_a_generic_json_body():
    assert_json(run(HttpResponse("no", status=499)), 499, {"detail": "Client error.", "code": "client_error"})


def test_json_4xx_and_non_4xx_responses_pass_unchanged():
    json_error = JsonResponse({"detail": "x", "code": "y"}, status=409)
    assert run(json_error) is json_error
    page = HttpResponse("<html></html>", status=200)
    assert run(page) is page
    redirect = HttpResponse(status=302)
    assert run(redirect) is redirect
