"""Bad input, table-driven: every write endpoint and list filter answers a clear 4xx for inputs
that break naive APIs, with an exact body, and writes nothing.

Writes: create_orders, PATCH order item, customers and addresses create, bulk_status_update,
cancel. Reads: the list filters, ``sort``, ``limit`` and ``page``.
"""

import json
from dataclasses import dataclass
from datetime import timedelta
from datetime import timezone as dt_timezone
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from orders.models import Order
from tests.database_state import database_state
from tests.factories import CancellationReasonFactory
from tests.orders.create_orders_support import World, approved_order, minimal_body, world_for

pytestmark = pytest.mark.django_db

MAX_BODY = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.fixture
def world(channel) -> World:
    return world_for(channel)


@pytest.fixture
def order(world):
    return approved_order(world)


@pytest.fixture
def reason(db):
    return CancellationReasonFactory()


# --- The write endpoints and a valid body for each -------------------------------------------------


@dataclass
class Write:
    """A write endpoint: its method, URL and a body it accepts (to which each case does harm)."""

    name: str
    method: str
    url: str
    body: dict


def writes(world: World, order: Order, reason) -> dict[str, Write]:
    channel_id = world.channel.pk
    item = order.orderitem_set.order_by("pk").first()
    return {
        "create_orders": Write(
            "create_orders",
            "post",
            f"/api/v1/channel/{channel_id}/create_orders/",
            minimal_body(world, number="BAD-INPUT-1"),
        ),
        "order_item_patch": Write(
            "order_item_patch",
            "patch",
            f"/api/v1/channel/{channel_id}/order_items/{item.pk}/",
            {"tracking_number": "TRK-1", "installment_interest_amount": "1.00"},
        ),
        "customer_create": Write(
            "customer_create",
            "post",
            f"/api/v1/channel/{channel_id}/customers/",
            {"email": "new@example.com", "first_name": "Ali", "last_name": "Veli", "channel_code": "NEW-1"},
        ),
        "address_create": Write(
            "address_create",
            "post",
            f"/api/v1/channel/{channel_id}/addresses/",
            {
                "customer": world.customer.pk,
                "title": "Depot",
                "first_name": "Ali",
                "last_name": "Veli",
                "country": world.address.country_id,
                "city": world.address.city_id,
                "township": world.address.township_id,
                "district": world.address.district_id,
                "line": "Depo Sk. 9",
            },
        ),
        "bulk_status_update": Write(
            "bulk_status_update",
            "patch",
            "/api/i1/order_items/bulk_status_update/",
            {"orderitem_set": [{"id": item.pk, "status": "450", "tracking_number": "TRK-2"}]},
        ),
        "cancel": Write(
            "cancel",
            "post",
            f"/api/i1/orders/{order.pk}/cancel/",
            {"cancel_items": [item.pk], "reasons": {str(item.pk): reason.pk}},
        ),
    }


# Where each write's body has an integer, a text, a money and a date field (a path of keys).
FIELDS: dict[str, dict[str, tuple]] = {
    "create_orders": {
        "number": ("order_item", 0, "product"),
        "text": ("order", "number"),
        "money": ("order", "amount"),
        "date": ("order", "date_placed"),
    },
    "order_item_patch": {
        "number": ("datasource",),
        "text": ("tracking_number",),
        "money": ("installment_interest_amount",),
        "date": ("invoice_date",),
    },
    "customer_create": {"text": ("first_name",), "date": ("date_of_birth",)},
    "address_create": {"number": ("city",), "text": ("line",)},
    "bulk_status_update": {
        "number": ("orderitem_set", 0, "id"),
        "text": ("orderitem_set", 0, "tracking_number"),
        "date": ("orderitem_set", 0, "invoice_date"),
    },
    "cancel": {
        "number": ("cancel_items", 0),
        "text": ("refund_invoice_number",),
        "money": ("forced_refund_amount",),
    },
}
WRITE_NAMES = list(FIELDS)


def put(body: Any, path: tuple, value: Any) -> Any:
    """A deep copy of ``body`` with ``value`` at ``path``."""
    body = json.loads(json.dumps(body))
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


STRICT = {"HTTP_PREFER": "handling=strict"}


def send(
    client,
    write: Write,
    *,
    body: Any = None,
    raw: bytes | None = None,
    content_type="application/json",
    headers: dict | None = None,
):
    data = raw if raw is not None else json.dumps(write.body if body is None else body)
    return getattr(client, write.method)(write.url, data=data, content_type=content_type, **(headers or {}))


VOLATILE_KEYS = frozenset({"pk", "order", "created_date", "modified_date", "date_placed"})


def stable(value: Any) -> Any:
    """A response body without the ids and timestamps that differ between two equal writes."""
    if isinstance(value, dict):
        return {key: stable(item) for key, item in value.items() if key not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [stable(item) for item in value]
    return value


@pytest.fixture
def targets(world, order, reason) -> dict[str, Write]:
    return writes(world, order, reason)


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_the_valid_body_of_each_write_is_accepted(member_client, targets, name):
    """The baseline: each refusal below comes from the harm done to this body, not from the body."""
    response = send(member_client, targets[name])

    assert response.status_code in (200, 201), response.content


# --- Harm to the whole body: the same answer from every write endpoint ------------------------------

PARSE_ERROR = "parse_error"
WHOLE_BODY_CASES = [
    # (case id, raw bytes, content type, status, exact body or (key, value) pairs to find in it)
    ("malformed_json", b'{"order": {"number": "X"', "application/json", 400, {"code": PARSE_ERROR}),
    ("trailing_garbage", b'{"a": 1} trailing', "application/json", 400, {"code": PARSE_ERROR}),
    ("deeply_nested", b"[" * 100_000 + b"]" * 100_000, "application/json", 400, {"code": PARSE_ERROR}),
    ("nan_literal", b'{"amount": NaN}', "application/json", 400, {"code": PARSE_ERROR}),
    ("infinity_literal", b'{"amount": Infinity}', "application/json", 400, {"code": PARSE_ERROR}),
    ("lone_surrogate", b'{"first_name": "\\ud800"}', "application/json", 400, {"code": PARSE_ERROR}),
    ("invalid_utf8", b'{"first_name": "\xff\xfe"}', "application/json", 400, {"code": PARSE_ERROR}),
    (
        "nul_in_string",
        b'{"first_name": "a\\u0000b"}',
        "application/json",
        400,
        {"detail": "JSON strings must not contain NUL (\\u0000) characters.", "code": PARSE_ERROR},
    ),
    (
        "nul_in_key",
        b'{"a\\u0000": 1}',
        "application/json",
        400,
        {"detail": "JSON strings must not contain NUL (\\u0000) characters.", "code": PARSE_ERROR},
    ),
    (
        "text_plain",
        b'{"a": 1}',
        "text/plain",
        415,
        {"detail": 'Unsupported media type "text/plain" in request.', "code": "unsupported_media_type"},
    ),
    (
        "form_encoded",
        b"a=1",
        "application/x-www-form-urlencoded",
        415,
        {
            "detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.',
            "code": "unsupported_media_type",
        },
    ),
    (
        "body_over_the_limit",
        b'{"a": "' + b"x" * (10 * 1024 * 1024) + b'"}',
        "application/json",
        413,
        {"detail": f"Request body is larger than {MAX_BODY} bytes.", "code": "payload_too_large"},
    ),
    ("json_array", b"[1, 2]", "application/json", 400, {"non_field_errors": None}),
    ("json_string", b'"order"', "application/json", 400, {"non_field_errors": None}),
    ("json_null", b"null", "application/json", 400, {"non_field_errors": None}),
]


@pytest.mark.parametrize("name", WRITE_NAMES)
@pytest.mark.parametrize(
    "raw, content_type, status, expected", [case[1:] for case in WHOLE_BODY_CASES], ids=[c[0] for c in WHOLE_BODY_CASES]
)
def test_a_broken_body_is_refused_and_changes_nothing(
    member_client, targets, name, raw, content_type, status, expected
):
    before = database_state()

    response = send(member_client, targets[name], raw=raw, content_type=content_type)

    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    for key, value in expected.items():
        assert key in body, body
        if value is not None:
            assert body[key] == value
    assert database_state() == before


def test_a_parse_error_names_the_problem(member_client, targets):
    response = send(member_client, targets["customer_create"], raw=b'{"email": ')

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - unexpected end of data: line 1 column 11 (char 10)",
        "code": PARSE_ERROR,
    }


# --- Harm to one field: strings for numbers, long digits, negatives, long strings, bad dates --------


NOT_AN_INTEGER = ["A valid integer is required."]
FIELD_CASES = [
    # (case id, which field, value, expected error messages at that field; a dict: by write name)
    ("string_for_number", "number", "twelve", {"address_create": ["Incorrect type. Expected pk value, received str."]}),
    ("float_for_integer", "number", 1.5, {"address_create": ["Incorrect type. Expected pk value, received float."]}),
    ("past_bigint", "number", 2**63, {"address_create": [f'Invalid pk "{2**63}" - object does not exist.']}),
    # orjson reads integers beyond 64 bits as floats.
    (
        "thirty_digit_integer",
        "number",
        10**30,
        {"address_create": ["Incorrect type. Expected pk value, received float."]},
    ),
    ("string_for_money", "money", "abc", ["A valid number is required."]),
    ("thirty_digit_money", "money", "1" * 30, ["Ensure that there are no more than 14 digits in total."]),
    ("thirty_decimals", "money", "1." + "1" * 30, ["Ensure that there are no more than 14 digits in total."]),
    ("three_decimals", "money", "1.001", ["Ensure that there are no more than 2 decimal places."]),
    ("negative_money", "money", "-0.01", ["Ensure this value is greater than or equal to 0."]),
    ("nan_string_money", "money", "NaN", ["A valid number is required."]),
    ("infinity_string_money", "money", "Infinity", ["A valid number is required."]),
    ("invalid_date", "date", "2025-13-45T10:00:00Z", None),
    ("words_for_date", "date", "yesterday", None),
]


DATE_ERROR = ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
DATETIME_ERROR = [
    "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
]


def nest(path: tuple, leaf: Any, *, indexed_lists: bool) -> Any:
    """The error body for an error ``leaf`` at ``path`` (list entries as indexed lists)."""
    error: Any = leaf
    for depth in range(len(path) - 1, -1, -1):
        key = path[depth]
        if isinstance(key, int):
            error = [{} for _ in range(key)] + [error] if indexed_lists else {str(key): error}
        else:
            error = {key: error}
    return error


BAD_FIELDS = [
    pytest.param(name, FIELDS[name][field], value, messages, id=f"{case_id}-{name}")
    for case_id, field, value, messages in FIELD_CASES
    for name in WRITE_NAMES
    if field in FIELDS[name]
]


@pytest.mark.parametrize("name, path, value, messages", BAD_FIELDS)
def test_a_bad_field_value_is_refused_with_its_error_and_changes_nothing(
    member_client, targets, name, path, value, messages
):
    write = targets[name]
    before = database_state()

    response = send(member_client, write, body=put(write.body, path, value))

    assert response.status_code == 400, response.content
    if messages is None:
        messages = DATE_ERROR if path == ("date_of_birth",) else DATETIME_ERROR
    elif isinstance(messages, dict):
        default = (
            ["Ensure this value is less than or equal to 9223372036854775807."] if value == 2**63 else NOT_AN_INTEGER
        )
        messages = messages.get(name, default)
    expected = messages
    assert response.json() == error_at(write, path, expected)
    assert database_state() == before


def error_at(write: Write, path: tuple, messages: list) -> dict:
    """Where DRF puts an error for ``path``: nested dicts; list entries as indexed lists for the
    order items and bulk entries, by position for plain lists (``cancel_items``)."""
    if write.name == "cancel" and path[0] == "cancel_items":
        return {"cancel_items": {str(path[1]): messages}}
    return nest(path, messages, indexed_lists=True)


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_an_over_long_string_is_refused_and_changes_nothing(member_client, targets, name):
    write = targets[name]
    before = database_state()

    response = send(member_client, write, body=put(write.body, FIELDS[name]["text"], "x" * 10_000))

    assert response.status_code == 400, response.content
    errors = response.json()
    leaf = errors
    for key in FIELDS[name]["text"]:
        leaf = leaf[key]
    assert len(leaf) == 1 and leaf[0].startswith("Ensure this field has no more than "), errors
    assert database_state() == before


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_an_unknown_field_is_refused_and_changes_nothing_when_strict(member_client, targets, name):
    write = targets[name]
    before = database_state()

    response = send(member_client, write, body={**write.body, "no_such_field": 1, "<script>": "x"}, headers=STRICT)

    assert response.status_code == 400, response.content
    assert response.json() == {"<script>": ["Unknown field."], "no_such_field": ["Unknown field."]}
    assert response["Preference-Applied"] == "handling=strict"
    assert database_state() == before


def test_an_unknown_field_inside_a_nested_object_is_refused_when_strict(member_client, targets):
    write = targets["create_orders"]
    before = database_state()
    body = put(put(write.body, ("order", "colour"), "red"), ("order_item", 0, "size"), "L")

    response = send(member_client, write, body=body, headers=STRICT)

    assert response.status_code == 400
    assert response.json() == {"order": {"colour": ["Unknown field."]}, "order_item": [{"size": ["Unknown field."]}]}
    assert database_state() == before


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_an_unknown_field_is_ignored_named_and_the_rest_applied(member_client, targets, name):
    """Without strict handling the write does what the valid body does, and names what it dropped."""
    write = targets[name]
    with transaction.atomic():
        expected = send(member_client, write)
        transaction.set_rollback(True)

    response = send(member_client, write, body={**write.body, "no_such_field": 1, "<script>": "x"})

    assert response.status_code == expected.status_code, response.content
    assert response["Ignored-Fields"] == "no_such_field, %3Cscript%3E"
    assert "Preference-Applied" not in response
    assert stable(response.json()) == stable(expected.json())


def test_an_unknown_field_inside_a_nested_object_is_ignored_and_named_by_path(member_client, targets):
    write = targets["create_orders"]
    body = put(put(write.body, ("order", "colour"), "red"), ("order_item", 0, "size"), "L")

    response = send(member_client, write, body=body)

    assert response.status_code == 201, response.content
    assert response["Ignored-Fields"] == "order.colour, order_item[0].size"
    order = Order.objects.get(pk=response.json()["pk"])
    assert "colour" not in order.extra_field and order.number == "BAD-INPUT-1"


def test_ignored_fields_are_named_on_a_validation_error_too(member_client, targets):
    write = targets["create_orders"]
    before = database_state()
    body = put(put(write.body, ("order", "colour"), "red"), ("order", "amount"), "-1")

    response = send(member_client, write, body=body)

    assert response.status_code == 400
    assert response.json() == {"order": {"amount": ["Ensure this value is greater than or equal to 0."]}}
    assert response["Ignored-Fields"] == "order.colour"
    assert database_state() == before


@pytest.mark.parametrize("name", ["customer_create", "address_create", "order_item_patch"])
def test_unicode_text_is_stored_exactly(member_client, targets, name):
    """Unicode is data, not an attack: Turkish, emoji, right-to-left and combining marks round-trip."""
    write = targets[name]
    text = "İğüşöç 😀 עברית e\u0301 \u200b"

    response = send(member_client, write, body=put(write.body, FIELDS[name]["text"], text))

    assert response.status_code in (200, 201), response.content
    assert response.json()[FIELDS[name]["text"][-1]] == text


# --- List filters, sort and paging -----------------------------------------------------------------

CHANNEL_LISTS = [
    "order_items", "order_items/detailed", "customers", "addresses", "products", "product_stocks", "retail_stores",
    "price_lists", "stock_lists",
]  # fmt: skip
FLAT_LISTS = ["/api/i1/orders/", "/api/i1/order_items/", "/api/v1/oms/order_items/", "/api/v1/content_types/"]

QUERY_CASES = [
    # (case id, query, status, exact body)
    ("limit_zero", {"limit": "0"}, 400, {"limit": ["Ensure this value is greater than or equal to 1."]}),
    ("limit_negative", {"limit": "-5"}, 400, {"limit": ["Ensure this value is greater than or equal to 1."]}),
    ("limit_words", {"limit": "ten"}, 400, {"limit": ["A valid integer is required."]}),
    ("page_negative", {"page": "-1"}, 404, {"detail": "Invalid page.", "code": "not_found"}),
    ("page_zero", {"page": "0"}, 404, {"detail": "Invalid page.", "code": "not_found"}),
    ("page_words", {"page": "last"}, 404, {"detail": "Invalid page.", "code": "not_found"}),
    ("page_past_the_end", {"page": "999"}, 404, {"detail": "Invalid page.", "code": "not_found"}),
    (
        "invalid_date",
        {"created_date__gte": "2025-13-45"},
        400,
        {"created_date__gte": ["Enter a valid date/time."]},
    ),
    (
        "date_pushed_past_year_one_by_its_offset",
        {"created_date__gte": "0001-01-01T00:00:00+05:00"},
        400,
        {"created_date__gte": ["Enter a valid date/time."]},
    ),
    (
        "date_pushed_past_year_9999_by_its_offset",
        {"modified_date__lt": "9999-12-31T23:00:00-05:00"},
        400,
        {"modified_date__lt": ["Enter a valid date/time."]},
    ),
    (
        "sql_in_a_date",
        {"modified_date__lt": "2025-01-01' OR '1'='1"},
        400,
        {"modified_date__lt": ["Enter a valid date/time."]},
    ),
]


LISTS = [f"/api/v1/channel/{{channel}}/{name}/" for name in CHANNEL_LISTS] + FLAT_LISTS
WITHOUT_DATE_FILTERS = (
    "/products/", "/product_stocks/", "/oms/order_items/", "/retail_stores/", "/price_lists/", "/stock_lists/",
    "/content_types/",
)  # fmt: skip
LIST_QUERY_CASES = [
    pytest.param(url, *case[1:], id=f"{case[0]}-{url}")
    for url in LISTS
    for case in QUERY_CASES
    if not ("date" in case[0] and url.endswith(WITHOUT_DATE_FILTERS))
]


@pytest.mark.parametrize("url, query, status, expected", LIST_QUERY_CASES)
def test_bad_paging_and_dates_answer_exactly(member_client, order, url, query, status, expected):
    response = member_client.get(url.format(channel=order.channel_id), query)

    assert response.status_code == status, (url, response.content)
    assert response.json() == expected


INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE orders_order; --",
    '" OR ""="',
    "<script>alert(1)</script>",
    "%' OR 1=1 --",
    "\\x00",
]


@pytest.mark.parametrize("text", INJECTIONS)
@pytest.mark.parametrize(
    "url, param",
    [
        ("/api/v1/channel/{channel}/order_items/", "order__number"),
        ("/api/v1/channel/{channel}/order_items/", "product__sku"),
        ("/api/v1/channel/{channel}/customers/", "email"),
        ("/api/v1/channel/{channel}/addresses/", "hash_data"),
        ("/api/v1/channel/{channel}/products/", "sku"),
        ("/api/i1/orders/", "number"),
        ("/api/v1/oms/order_items/", "order_number"),
        ("/api/v1/channel/{channel}/countries/", "code__exact"),
        ("/api/v1/channel/{channel}/countries/", "name__exact"),
        ("/api/v1/channel/{channel}/cities/", "name__iexact"),
        ("/api/v1/channel/{channel}/townships/", "name__iexact"),
        ("/api/v1/channel/{channel}/districts/", "name__exact"),
        ("/api/v1/channel/{channel}/districts/", "mapping__code__exact"),
    ],
)
def test_injection_text_in_a_text_filter_matches_nothing(member_client, order, text, url, param):
    """Text filters are bound parameters: the injection is a value that matches no row."""
    response = member_client.get(url.format(channel=order.channel_id), {param: text})

    assert response.status_code == 200, response.content
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert Order.objects.filter(pk=order.pk).exists()


@pytest.mark.parametrize("text", INJECTIONS)
@pytest.mark.parametrize(
    "url, param, message",
    [
        ("/api/v1/channel/{channel}/order_items/", "order_id", "Enter a whole number."),
        ("/api/v1/channel/{channel}/order_items/", "pk__in", "Enter a whole number."),
        ("/api/v1/channel/{channel}/order_items/", "status", None),
        ("/api/i1/orders/", "is_send", "Must be true or false."),
        ("/api/i1/orders/", "sort", None),
        ("/api/v1/channel/{channel}/order_items/", "order", "Enter a whole number."),
        ("/api/v1/channel/{channel}/orders/", "channel_id", "Enter a whole number."),
        ("/api/v1/channel/{channel}/orders/", "status", None),
        ("/api/v1/channel/{channel}/customers/", "channel", "Enter a whole number."),
        ("/api/v1/channel/{channel}/countries/", "is_active", "Must be true or false."),
        ("/api/v1/channel/{channel}/cities/", "country", "Enter a whole number."),
        ("/api/v1/channel/{channel}/townships/", "country", "Enter a whole number."),
        ("/api/v1/channel/{channel}/districts/", "township", "Enter a whole number."),
        ("/api/v1/channel/{channel}/districts/", "mapping__integration_type", None),
        ("/api/v1/channel/{channel}/products/", "pk__in", "Enter a whole number."),
        ("/api/v1/channel/{channel}/product_prices/", "pk__in", "Enter a whole number."),
        ("/api/v1/channel/{channel}/product_prices/", "product__pk__in", "Enter a whole number."),
        ("/api/v1/channel/{channel}/product_stocks/", "product__pk__in", "Enter a whole number."),
    ],
)
def test_injection_text_in_a_typed_filter_is_refused(member_client, order, text, url, param, message):
    response = member_client.get(url.format(channel=order.channel_id), {param: text})

    assert response.status_code == 400, response.content
    errors = response.json()
    assert list(errors) == [param]
    if message is not None:
        assert errors[param] == [message]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/channel/{channel}/order_items/",
        "/api/v1/channel/{channel}/orders/",
        "/api/i1/orders/",
        "/api/v1/oms/order_items/",
    ],
)
def test_a_bad_value_among_repeated_status_keys_is_refused(member_client, order, url):
    response = member_client.get(f"{url.format(channel=order.channel_id)}?status=400&status=%25s%27%20OR%201=1")

    assert response.status_code == 400, response.content
    assert response.json() == {
        "status": ['Unknown status "%s\' OR 1=1"; use a code such as "400" or a name such as "approved".']
    }


@pytest.mark.parametrize(
    "value, message",
    [(str(2**63), "Ensure this value is less than or equal to 9223372036854775807."), ("1.5", "Enter a whole number.")],
)
def test_an_order_id_past_bigint_or_not_whole_is_refused(member_client, order, value, message):
    response = member_client.get(f"/api/v1/channel/{order.channel_id}/order_items/", {"order": value})

    assert response.status_code == 400, response.content
    assert response.json() == {"order": [message]}


def test_a_date_filter_with_an_offset_postgres_refuses_is_read_in_utc(member_client, order):
    """PostgreSQL takes UTC offsets up to ±15:59; Python (and so the filter) up to ±23:59."""
    url = f"/api/v1/channel/{order.channel_id}/order_items/"
    just_before = min(item.created_date for item in order.orderitem_set.all()) - timedelta(minutes=1)

    def at_offset(hours: int) -> str:
        return just_before.astimezone(dt_timezone(timedelta(hours=hours))).isoformat()

    until = member_client.get(url, {"order_id": order.pk, "created_date__lte": at_offset(-20)})
    since = member_client.get(url, {"order_id": order.pk, "created_date__gte": at_offset(20)})

    assert (until.status_code, until.json()["count"]) == (200, 0)
    assert (since.status_code, since.json()["count"]) == (200, 2)
