"""Unknown fields and parameters (API.md §1) with the bodies Akinon's clients build.

The bodies below copy channel-app 0.0.161's builders key for key (``CreateOrders.get_data`` and
``prepare_order_items``, ``GetOrCreateAddress.get_data``, ``UpdateOrderItems.validated_data``,
``CreateOrderCancel.get_data``; values as their DTO defaults give them).
"""

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from channels.models import Address, Customer
from omnitron.unknown_input import MAX_NAMES_IN_HEADER, header_value, prefers_strict
from orders.models import CancellationPlan, CancellationPlanItem, Order, OrderItem
from tests.database_state import database_state
from tests.factories import CancellationReasonFactory
from tests.orders.create_orders_support import World, approved_order, world_for

pytestmark = pytest.mark.django_db

STRICT = {"HTTP_PREFER": "handling=strict"}


@pytest.fixture
def world(channel) -> World:
    return world_for(channel)


def post(client, url: str, body: dict, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def patch(client, url: str, body: dict, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


# --- create_orders ----------------------------------------------------------------------------------


def channel_app_order_body(world: World) -> dict:
    """``CreateOrders.get_data`` for one unit: channel as the integration's id string, ``status``
    and most texts at their DTO defaults, ``date_placed`` as ``str(datetime)``."""
    channel = world.channel
    return {
        "order_item": [
            {
                "product": world.product.pk,
                "status": "400",
                "price_currency": "TRY",
                "price": "100.00",
                "tax_rate": "18.00",
                "extra_field": {"id": "LINE-1"},
                "price_list": channel.catalog.price_list_id,
                "stock_list": channel.catalog.stock_list_id,
                "tracking_number": None,
                "carrier_shipping_code": "C" * 256,
                "discount_amount": 0.0,
                "retail_price": 0.0,
                "attributes": {},
                "attributes_kwargs": {},
                "parent": None,
                "delivered_date": "2025-03-04 01:30:00+03:00",
                "estimated_delivery_date": "2025-03-04 01:30:00+03:00",
            }
        ],
        "order": {
            "number": "MP-1001",
            "status": "",
            "channel": str(channel.pk),
            "customer": world.customer.pk,
            "shipping_address": world.address.pk,
            "billing_address": world.billing_address.pk,
            "currency": "try",
            "amount": "100.00",
            "shipping_amount": "0.00",
            "shipping_tax_rate": "18.00",
            "extra_field": {"id": "REMOTE-1001"},
            "delivery_type": None,
            "cargo_company": world.cargo_company.pk,
            "discount_amount": 0,
            "net_shipping_amount": "0.0",
            "tracking_number": "T" * 256,
            "carrier_shipping_code": "",
            "remote_addr": None,
            "has_gift_box": False,
            "gift_box_note": "",
            "client_type": "default",
            "language_code": "",
            "notes": "",
            "delivery_range": None,
            "shipping_option_slug": "",
            "date_placed": "2025-03-01 12:30:45.123456",
        },
    }


def test_create_orders_takes_the_channel_app_body_and_names_what_it_ignored(member_client, world):
    response = post(member_client, f"/api/v1/channel/{world.channel.pk}/create_orders/", channel_app_order_body(world))

    assert response.status_code == 201, response.content
    assert response["Ignored-Fields"] == "order_item[0].delivered_date, order.net_shipping_amount"
    assert "Ignored-Parameters" not in response
    order = Order.objects.get(pk=response.json()["pk"])
    assert (order.number, order.channel_id, order.status) == ("MP-1001", world.channel.pk, "200")
    assert order.date_placed == datetime(2025, 3, 1, 12, 30, 45, 123456, tzinfo=UTC)
    assert (order.tracking_number, order.carrier_shipping_code) == ("T" * 256, "")
    assert order.extra_field == {"id": "REMOTE-1001"}
    item = OrderItem.objects.get(order=order)
    assert item.status == "400"
    assert item.estimated_delivery_date == date(2025, 3, 4)  # the date as written, not UTC's 3 March
    assert (item.carrier_shipping_code, item.extra_field) == ("C" * 256, {"id": "LINE-1"})


def test_create_orders_refuses_the_channel_app_body_when_strict(member_client, world):
    before = database_state()

    response = post(
        member_client, f"/api/v1/channel/{world.channel.pk}/create_orders/", channel_app_order_body(world), **STRICT
    )

    assert response.status_code == 400
    assert response.json() == {
        "order": {"net_shipping_amount": ["Unknown field."]},
        "order_item": [{"delivered_date": ["Unknown field."]}],
    }
    assert response["Preference-Applied"] == "handling=strict"
    assert database_state() == before


def test_a_blank_item_status_takes_the_orders_status(member_client, world):
    body = channel_app_order_body(world)
    body["order"]["status"] = "400"
    body["order_item"][0]["status"] = ""

    response = post(member_client, f"/api/v1/channel/{world.channel.pk}/create_orders/", body)

    assert response.status_code == 201, response.content
    assert [item["status"] for item in response.json()["orderitem_set"]] == ["400"]


def test_a_naive_date_placed_is_read_in_the_configured_zone(member_client, world, settings):
    settings.API_NAIVE_DATETIME_TIME_ZONE = "Europe/Istanbul"

    response = post(member_client, f"/api/v1/channel/{world.channel.pk}/create_orders/", channel_app_order_body(world))

    assert response.status_code == 201, response.content
    placed = Order.objects.get(pk=response.json()["pk"]).date_placed
    assert placed == datetime(2025, 3, 1, 12, 30, 45, 123456, tzinfo=ZoneInfo("Europe/Istanbul"))
    assert response.json()["date_placed"] == "2025-03-01T09:30:45.123456Z"


def test_date_placed_with_an_offset_keeps_it(member_client, world):
    body = channel_app_order_body(world)
    body["order"]["date_placed"] = "2025-03-01 12:30:45+03:00"

    response = post(member_client, f"/api/v1/channel/{world.channel.pk}/create_orders/", body)

    assert response.status_code == 201, response.content
    assert response.json()["date_placed"] == "2025-03-01T09:30:45Z"


def test_a_tracking_number_over_256_characters_is_refused(member_client, world):
    before = database_state()
    body = channel_app_order_body(world)
    body["order"]["tracking_number"] = "T" * 257

    response = post(member_client, f"/api/v1/channel/{world.channel.pk}/create_orders/", body)

    assert response.status_code == 400
    assert response.json() == {"order": {"tracking_number": ["Ensure this field has no more than 256 characters."]}}
    assert database_state() == before


# --- customers and addresses ------------------------------------------------------------------------


def test_customer_create_ignores_the_channel_the_client_sends(member_client, channel):
    body = {
        "channel": str(channel.pk),
        "email": "ayse@example.com",
        "phone_number": None,
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "extra_field": {},
        "channel_code": "C-1",
        "is_active": True,
    }

    response = post(member_client, f"/api/v1/channel/{channel.pk}/customers/", body)

    assert response.status_code == 201, response.content
    assert response["Ignored-Fields"] == "channel"
    customer = Customer.objects.get(pk=response.json()["pk"])
    assert (customer.channel_id, customer.email, customer.channel_code) == (channel.pk, "ayse@example.com", "C-1")


def channel_app_address_body(world: World) -> dict:
    """``GetOrCreateAddress.get_data`` for an address without a retail store."""
    address = world.address
    return {
        "email": "ayse@example.com",
        "phone_number": "05556667788",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "customer": world.customer.pk,
        "country": address.country_id,
        "city": address.city_id,
        "township": None,
        "district": None,
        "title": "COMM-876",
        "line": "Hemen sahil kenarı 5",
        "postcode": None,
        "notes": None,
        "company_name": None,
        "tax_office": None,
        "tax_no": None,
        "e_bill_taxpayer": False,
        "remote_id": None,
        "identity_number": None,
        "extra_field": {},
    }


def test_address_create_takes_the_channel_app_body(member_client, world):
    response = post(member_client, f"/api/v1/channel/{world.channel.pk}/addresses/", channel_app_address_body(world))

    assert response.status_code == 201, response.content
    assert response["Ignored-Fields"] == "remote_id"
    address = Address.objects.get(pk=response.json()["pk"])
    assert (address.customer_id, address.line, address.township_id) == (world.customer.pk, "Hemen sahil kenarı 5", None)


def test_address_create_ignores_the_retail_store_fields(member_client, world):
    body = {**channel_app_address_body(world), "retail_store": 7, "address_type": "retail_store"}

    response = post(member_client, f"/api/v1/channel/{world.channel.pk}/addresses/", body)

    assert response.status_code == 201, response.content
    assert response["Ignored-Fields"] == "remote_id, retail_store, address_type"


def test_an_address_read_back_and_sent_again_names_its_read_only_fields(member_client, world):
    created = post(member_client, f"/api/v1/channel/{world.channel.pk}/addresses/", channel_app_address_body(world))
    echoed = {**created.json(), "line": "Yeni Sk. 1"}

    response = patch(member_client, f"/api/v1/channel/{world.channel.pk}/addresses/{echoed['pk']}/", echoed)

    assert response.status_code == 200, response.content
    assert response["Ignored-Fields"] == "pk, channel, hash_data, created_date, modified_date"
    assert Address.objects.get(pk=echoed["pk"]).line == "Yeni Sk. 1"


# --- order item PATCH and cancel ----------------------------------------------------------------------


@pytest.fixture
def order(world):
    return approved_order(world)


def test_item_patch_takes_the_update_order_items_body(member_client, order):
    item = order.orderitem_set.order_by("pk").first()
    body = {
        "order_number": order.number,
        "status": "450",
        "invoice_number": "INV-1",
        "invoice_date": "2025-03-02 10:00:00",
        "tracking_number": "T" * 256,
        "extra_field": {"id": "LINE-1"},
    }

    response = patch(member_client, f"/api/v1/channel/{order.channel_id}/order_items/{item.pk}/", body)

    assert response.status_code == 200, response.content
    assert response["Ignored-Fields"] == "order_number"
    item.refresh_from_db()
    assert (item.status, item.invoice_number, item.tracking_number) == ("450", "INV-1", "T" * 256)
    assert item.invoice_date == datetime(2025, 3, 2, 10, tzinfo=UTC)


def test_an_item_read_back_and_sent_whole_changes_what_differs(member_client, order):
    item = order.orderitem_set.order_by("pk").first()
    url = f"/api/v1/channel/{order.channel_id}/order_items/{item.pk}/"
    echoed = {**member_client.get(url).json(), "tracking_number": "TRK-9"}

    response = patch(member_client, url, echoed)

    assert response.status_code == 200, response.content
    not_taken = {"created_date", "modified_date", "order_number"}  # read-only, or only read by clients
    assert response["Ignored-Fields"] == ", ".join(key for key in echoed if key in not_taken)
    item.refresh_from_db()
    assert (item.tracking_number, item.status, item.order_id) == ("TRK-9", "400", order.pk)


def test_item_patch_still_refuses_another_order(member_client, order):
    item = order.orderitem_set.order_by("pk").first()
    before = database_state()

    response = patch(
        member_client,
        f"/api/v1/channel/{order.channel_id}/order_items/{item.pk}/",
        {"order": order.pk + 1000, "order_number": "X", "tracking_number": "T"},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["order"]
    assert response["Ignored-Fields"] == "order_number"
    assert database_state() == before


def cancel_body(order, reason_id) -> dict:
    """``CreateOrderCancel.get_data``: item pks, the order's pk, a reason per item (maybe null)."""
    items = list(order.orderitem_set.order_by("pk").values_list("pk", flat=True))
    return {
        "cancel_items": items,
        "order": order.pk,
        "reasons": dict.fromkeys(items, reason_id),
        "forced_refund_amount": None,
    }


def cancelled_reasons(order) -> list[int]:
    return list(
        CancellationPlanItem.objects.filter(plan__order=order)
        .order_by("order_item_id")
        .values_list("reason_id", flat=True)
    )


def test_cancel_takes_the_client_body_and_a_null_reason_takes_the_channels_reason(member_client, order):
    CancellationReasonFactory(sort_order=0)
    configured = CancellationReasonFactory(sort_order=5)
    order.channel.conf = {**order.channel.conf, "cancellation_reason_id": configured.pk}
    order.channel.save()

    response = post(
        member_client, f"/api/v1/channel/{order.channel_id}/orders/{order.pk}/cancel/", cancel_body(order, None)
    )

    assert response.status_code == 200, response.content
    assert "Ignored-Fields" not in response
    assert cancelled_reasons(order) == [configured.pk, configured.pk]
    assert set(order.orderitem_set.values_list("status", flat=True)) == {"100"}


def test_a_null_reason_without_a_configured_one_takes_the_first_active_reason(member_client, order):
    CancellationReasonFactory(sort_order=0, is_active=False)
    first = CancellationReasonFactory(sort_order=1)
    CancellationReasonFactory(sort_order=2)

    response = post(
        member_client, f"/api/v1/channel/{order.channel_id}/orders/{order.pk}/cancel/", cancel_body(order, None)
    )

    assert response.status_code == 200, response.content
    assert cancelled_reasons(order) == [first.pk, first.pk]


def test_a_null_reason_without_any_reason_is_refused(member_client, order):
    before = database_state()

    response = post(
        member_client, f"/api/v1/channel/{order.channel_id}/orders/{order.pk}/cancel/", cancel_body(order, None)
    )

    assert response.status_code == 400
    assert response.json() == {"reasons": ["A reason is null and no default cancellation reason exists."]}
    assert database_state() == before


def test_cancel_refuses_an_order_other_than_the_urls(member_client, order):
    reason = CancellationReasonFactory()
    before = database_state()
    body = {**cancel_body(order, reason.pk), "order": order.pk + 1000}

    response = post(member_client, f"/api/v1/channel/{order.channel_id}/orders/{order.pk}/cancel/", body)

    assert response.status_code == 400
    assert response.json() == {"order": ["Must be the order in the URL."]}
    assert database_state() == before
    assert not CancellationPlan.objects.exists()


# --- query parameters -----------------------------------------------------------------------------------


def test_an_unknown_query_parameter_is_ignored_and_named(member_client, order):
    url = f"/api/v1/channel/{order.channel_id}/order_items/"
    expected = member_client.get(url, {"sort": "id"}).json()

    response = member_client.get(url, {"sort": "id", "colour": "red", "foo": "bar"})

    assert response.status_code == 200
    assert response["Ignored-Parameters"] == "colour, foo"
    assert response.json() == expected
    assert "Prefer" in response["Vary"]


def test_an_unknown_query_parameter_is_400_when_strict(member_client, order):
    response = member_client.get(f"/api/v1/channel/{order.channel_id}/order_items/", {"foo": "bar"}, **STRICT)

    assert response.status_code == 400
    assert response.json() == {"foo": ["Unknown query parameter."]}
    assert response["Preference-Applied"] == "handling=strict"


def test_known_parameters_pass_strict_handling(member_client, order):
    response = member_client.get(
        f"/api/v1/channel/{order.channel_id}/order_items/",
        {"status": "400", "sort": "-id", "page": "1", "limit": "5", "format": "json"},
        **STRICT,
    )

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 3  # the order's two items and world_for's parent item
    assert "Ignored-Parameters" not in response
    assert response["Preference-Applied"] == "handling=strict"


def test_a_documented_parameter_is_known(member_client, world):
    response = post(
        member_client,
        f"/api/v1/channel/{world.channel.pk}/create_orders/?dry_run=true",
        {"order": {**channel_app_order_body(world)["order"], "net_shipping_amount": None}, "order_item": []},
        **STRICT,
    )

    assert response.status_code == 400  # for the body, not for dry_run
    assert response.json() == {"order": {"net_shipping_amount": ["Unknown field."]}}
    assert "Ignored-Parameters" not in response


def test_pagination_parameters_are_unknown_on_one_object(member_client, order):
    item = order.orderitem_set.order_by("pk").first()

    response = member_client.get(f"/api/v1/channel/{order.channel_id}/order_items/{item.pk}/", {"page": "2"})

    assert response.status_code == 200
    assert response["Ignored-Parameters"] == "page"


def test_an_action_answering_a_page_knows_page_and_limit_under_strict_handling(member_client, order):
    response = member_client.get(f"/api/i1/orders/{order.pk}/events/", {"page": "1", "limit": "5"}, **STRICT)

    assert response.status_code == 200
    assert response["Preference-Applied"] == "handling=strict"
    assert "Ignored-Parameters" not in response


def test_a_known_filter_with_a_bad_value_is_400_even_when_lenient(member_client, order):
    response = member_client.get(f"/api/v1/channel/{order.channel_id}/order_items/", {"status": "nope", "foo": "1"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert response["Ignored-Parameters"] == "foo"


def test_ignored_names_are_percent_encoded_in_the_header(member_client, order):
    response = member_client.get(f"/api/v1/channel/{order.channel_id}/order_items/", {"a\nb": "1", "ç": "2"})

    assert response.status_code == 200
    assert response["Ignored-Parameters"] == "a%0Ab, %C3%A7"


def test_login_ignores_unknown_fields_and_refuses_them_when_strict(anon_client, member):
    member.set_password("secret-password")
    member.save()
    body = {"username": member.username, "password": "secret-password", "remember": True}

    lenient = post(anon_client, "/api/v1/auth/login/", body)
    strict = post(anon_client, "/api/v1/auth/login/", body, **STRICT)

    assert (lenient.status_code, lenient["Ignored-Fields"]) == (200, "remember")
    assert (strict.status_code, strict.json()) == (400, {"remember": ["Unknown field."]})


# --- the pieces -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, strict",
    [
        (None, False),
        ("", False),
        ("handling=strict", True),
        ("Handling=Strict", True),
        ('handling="strict"', True),
        ("respond-async, handling=strict; foo=1", True),
        ("handling=lenient", False),
        ("handling=lenient, handling=strict", False),  # RFC 7240: the first instance counts
        ("return=minimal", False),
    ],
)
def test_prefers_strict(header, strict):
    assert prefers_strict(header) is strict


def test_header_value_is_capped():
    names = [f"f{index}" for index in range(MAX_NAMES_IN_HEADER + 5)]

    assert header_value(names) == ", ".join(names[:MAX_NAMES_IN_HEADER]) + ", ..."
    assert header_value(["a", "b"]) == "a, b"


def test_format_is_known_on_the_schema_view(anon_client):
    response = anon_client.get("/api/schema/", {"format": "json"}, **STRICT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "Ignored-Parameters" not in response
    assert response["Preference-Applied"] == "handling=strict"
