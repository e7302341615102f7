"""The OpenAPI document lists every filter Akinon's clients send, ``status`` as a repeatable key
and the ``limit`` clamp."""

import pytest

from orders.statuses import STATUS_ALIASES

pytestmark = pytest.mark.django_db

CHANNEL = "/api/v1/channel/{channel_id}/"
CLIENT_FILTERS = {
    CHANNEL + "countries/": {
        "code__exact",
        "name__exact",
        "is_active",
        "mapping__code__exact",
        "mapping__integration_type",
    },
    CHANNEL + "cities/": {"name__iexact", "country", "is_active", "mapping__code__exact", "mapping__integration_type"},
    CHANNEL + "townships/": {
        "name__iexact",
        "country",
        "city",
        "is_active",
        "mapping__code__exact",
        "mapping__integration_type",
    },
    CHANNEL + "districts/": {
        "name__exact",
        "country",
        "city",
        "township",
        "is_active",
        "mapping__code__exact",
        "mapping__integration_type",
    },
    CHANNEL + "customers/": {"email", "phone_number", "channel"},
    CHANNEL + "addresses/": {"hash_data"},
    CHANNEL + "orders/": {"number", "channel_id", "pk__in", "status"},
    CHANNEL + "order_items/": {"order", "status"},
    "/api/v1/order_items/": {"order", "status"},
    CHANNEL + "products/": {"pk__in"},
    CHANNEL + "product_prices/": {"pk__in", "product__pk__in", "price_list"},
    CHANNEL + "product_stocks/": {"pk__in", "product__pk__in", "stock_list"},
}
STATUS_LISTS = [
    CHANNEL + "order_items/",
    CHANNEL + "order_items/detailed/",
    CHANNEL + "orders/",
    "/api/i1/orders/",
    "/api/i1/order_items/",
    "/api/v1/oms/order_items/",
]


def parameters(schema, path) -> dict[str, dict]:
    return {param["name"]: param for param in schema["paths"][path]["get"]["parameters"]}


@pytest.mark.parametrize("path", CLIENT_FILTERS)
def test_every_client_filter_is_documented(schema, path):
    assert CLIENT_FILTERS[path] - set(parameters(schema, path)) == set()


@pytest.mark.parametrize("path", STATUS_LISTS)
def test_status_is_a_repeatable_query_key(schema, path):
    status = parameters(schema, path)["status"]
    assert status["schema"] == {"type": "array", "items": {"type": "string", "enum": list(STATUS_ALIASES)}}
    assert status.get("explode", True) is True and status.get("style", "form") == "form"
    assert "repeat the key" in status["description"]


def test_limit_documents_the_clamp(schema):
    limit = parameters(schema, CHANNEL + "order_items/")["limit"]
    assert limit["schema"] == {"type": "integer", "minimum": 1, "default": 10}
    assert limit["description"] == (
        "Number of results per page, from 1; a larger value than 1000 is served as 1000 (follow `next` for the rest)."
    )
