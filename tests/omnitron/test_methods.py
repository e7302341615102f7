"""A method a route does not answer is 405 with ``Allow`` for every caller, before authentication,
permissions and the channel check, and changes nothing."""

import pytest

from tests.database_state import database_state
from tests.factories import OrderFactory, OrderItemFactory
from tests.omnitron.schema_routes import OPERATION_METHODS, documented_methods, fill, openapi

pytestmark = pytest.mark.django_db

PROBED = [method.upper() for method in OPERATION_METHODS] + ["TRACE"]
UNSUPPORTED = [
    pytest.param(path, method, id=f"{method} {path}")
    for path in openapi()["paths"]
    for method in PROBED
    if method not in documented_methods(path)
]


def expected_allow(path: str) -> set[str]:
    methods = documented_methods(path) | {"OPTIONS"}
    return methods | {"HEAD"} if "GET" in methods else methods


@pytest.fixture
def order(channel):
    order = OrderFactory(channel=channel)
    OrderItemFactory(order=order)
    return order


def test_the_table_covers_delete_on_an_order_and_trace_everywhere():
    probed = {(param.values[0], param.values[1]) for param in UNSUPPORTED}
    assert ("/api/i1/orders/{id}/", "DELETE") in probed
    assert ("/api/v1/channel/{channel_id}/orders/{id}/cancel/", "GET") in probed
    assert all((path, "TRACE") in probed for path in openapi()["paths"])


@pytest.mark.parametrize("path, method", UNSUPPORTED)
def test_an_unsupported_method_is_405_for_everyone(
    member_client, anon_client, staff_client, readonly_member_client, order, path, method
):
    url = fill(path, channel_id=order.channel_id, id=order.pk, number=order.number)
    before = database_state()

    for caller, client in [
        ("member", member_client),
        ("read-only member", readonly_member_client),
        ("anonymous", anon_client),
        ("superuser", staff_client),
    ]:
        response = client.generic(method, url, data="{}", content_type="application/json")
        assert response.status_code == 405, (caller, response.content)
        assert response.json() == {"detail": f'Method "{method}" not allowed.', "code": "method_not_allowed"}
        assert set(response["Allow"].split(", ")) == expected_allow(path), caller
    assert database_state() == before


def test_a_foreign_channel_still_answers_405_not_404(member_client, other_channel):
    response = member_client.delete(f"/api/v1/channel/{other_channel.pk}/customers/1/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, PUT, PATCH, HEAD, OPTIONS"


def test_a_supported_method_still_goes_through_permissions(readonly_member_client, order):
    response = readonly_member_client.patch(f"/api/i1/orders/{order.pk}/", {"is_send": True}, format="json")

    assert response.status_code == 403
    order.refresh_from_db()
    assert order.is_send is False


def test_options_is_answered(member_client):
    response = member_client.options("/api/i1/orders/")

    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_head_is_answered_where_get_is(member_client, order):
    response = member_client.head(f"/api/i1/orders/{order.pk}/")

    assert response.status_code == 200
    assert response.content == b""
