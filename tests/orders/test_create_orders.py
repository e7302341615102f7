"""create_orders (seed 003): the seed's body is accepted, stored field by field, and every refusal
writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import StockReservation
from orders.models import EventType, Order, OrderEvent, OrderItem
from orders.serializers.create import ORDER_CREATED_KEYS
from orders.serializers.items import ORDER_ITEM_FLAT_KEYS
from tests.factories import AddressFactory, ChannelFactory, CustomerFactory, OrderFactory, ProductFactory
from tests.orders.create_orders_support import (
    SEED_RESPONSE,
    available,
    minimal_body,
    refused,
    seed_body,
    snapshot,
    url,
    world_for,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def world(channel):
    return world_for(channel)


# --- The seed's body ----------------------------------------------------------------------------


def test_create_orders_accepts_the_seed_body_and_stores_it_field_by_field(member_client, member, world):
    # Given seed 003's request body, as written, with its ids pointing at real rows
    body = seed_body(world)

    # When it is posted
    response = member_client.post(url(world.channel.pk), body, format="json")

    # Then the order is created with every field as sent
    assert response.status_code == 201, response.json()
    data = response.json()
    order = Order.objects.get(pk=data["pk"])
    expected_order = {
        "number": "1234567890",
        "channel_id": world.channel.pk,
        "status": "50",
        "date_placed": datetime.datetime(2025, 1, 1, tzinfo=UTC),
        "customer_id": world.customer.pk,
        "shipping_address_id": world.address.pk,
        "billing_address_id": world.billing_address.pk,
        "currency": "try",
        "amount": Decimal("100.00"),
        "shipping_amount": Decimal("10.00"),
        "shipping_tax_rate": Decimal("10.0000"),
        "extra_field": {"id": 1, "name": "test"},
        "payment_option_id": world.payment_option.pk,
        "payment_option_slug": "credit_card",
        "bin_number": "123456",
        "installment": 1,
        "installment_count": 1,
        "delivery_type": "same_day",
        "installment_interest_amount": Decimal("10.00"),
        "cargo_company_id": world.cargo_company.pk,
        "invoice_number": "1234567890",
        "invoice_date": datetime.datetime(2025, 1, 1, tzinfo=UTC),
        "e_archive_url": "https://e-archive.com/1234567890",
        "refund_amount": Decimal("10.00"),
        "discount_refund_amount": Decimal("10.00"),
        "shipping_refund_amount": Decimal("10.00"),
        "discount_amount": Decimal("10.00"),
        "is_send": False,
        "net_shipping_amount": Decimal("20.00"),
        "shipping_interest_amount": Decimal("10.00"),
        "tracking_number": "1234567890",
        "carrier_shipping_code": "1234567890",
        "remote_addr": "0.0.0.127",
        "funds_transfer_transactions": [1],
        "has_gift_box": True,
        "gift_box_note": "text",
        "external_status": 1,
        "client_type": "default",
        "language_code": "text",
        "notes": "text",
        "delivery_range": {"start": "2025-05-22T09:53:23.297000Z", "end": "2025-05-22T09:53:23.297000Z"},
        "shipping_option_slug": "text",
        "segment": "text",
        "checkout_provider_id": 1,
        "cancellation_info": {},
        "defined_tracking_url": "https://tracking.com/1234567890",
        # Not in the request: the cargo company's shipping company, and the items' cancel status.
        "shipping_company": "yurtici",
        "cancel_status": "waiting",
        "installment_free": False,
        "first_refund_strategy": None,
    }
    assert {name: getattr(order, name) for name in expected_order} == expected_order
    # created_date/modified_date in the body are read-only: the server's clock decides.
    assert order.created_date > timezone.now() - datetime.timedelta(minutes=1)

    item = OrderItem.objects.get(order=order)
    expected_item = {
        "channel_id": world.channel.pk,
        "product_id": world.product.pk,
        "status": "200",
        "price_currency": "try",
        "price": Decimal("100.00"),
        "tax_rate": Decimal("10.0000"),
        "tax_amount": Decimal("10.00"),
        "extra_field": {"id": 1, "name": "test"},
        "price_list_id": world.channel.catalog.price_list_id,
        "stock_list_id": world.channel.catalog.stock_list_id,
        "shipping_company": "ups",
        "shipment_code": "1234567890",
        "attributes": {},
        "cancel_status": "waiting",
        "installment_interest_amount": Decimal("10.00"),
        "is_tradable": False,
        "datasource": 1,
        "localized_attributes": {},
        "localized_attributes_kwargs": {},
        "cancellation_reconciliation": 1,
        "reconciliation": 1,
        "forced_refund": False,
        "original_stock": 1,
        "shipping_option_group": 1,
        "discount_amount": Decimal("10.00"),
        "retail_price": Decimal("100.00"),
        "image": "binary",
        "parent_id": world.parent_item.pk,
        "estimated_delivery_date": datetime.date(2025, 1, 1),
        "defined_tracking_url": "https://tracking.com/1234567890",
        "defined_shipping_company": "ups",
    }
    assert {name: getattr(item, name) for name in expected_item} == expected_item
    assert item.reservation.stock_id == world.stock.pk
    assert item.reservation.released_at is None
    assert available(world.stock) == 9

    # And the response has the seed's fields, plus pk and orderitem_set
    assert tuple(data) == ORDER_CREATED_KEYS
    assert set(SEED_RESPONSE) <= set(data)
    assert data["status"] == "50"
    assert data["amount"] == "100.00"
    assert data["net_shipping_amount"] == "20.00"
    assert data["fundstransfertransaction_set"] == [1]
    assert data["delivery_range"] == {"start": "2025-05-22T09:53:23.297000Z", "end": "2025-05-22T09:53:23.297000Z"}
    assert data["shipping_company"] == "yurtici"
    assert data["cancel_status"] == "waiting"
    assert [tuple(entry) for entry in data["orderitem_set"]] == [ORDER_ITEM_FLAT_KEYS]
    assert data["orderitem_set"][0]["pk"] == item.pk
    assert data["orderitem_set"][0]["order"] == order.pk
    assert data["orderitem_set"][0]["price"] == "100.00"
    assert data["orderitem_set"][0]["image"] == "binary"

    # And the creation is on the order's audit trail, by the caller
    event = OrderEvent.objects.get(order=order)
    assert (event.event_type, event.actor_id, event.item_id) == (EventType.CREATED, member.pk, None)
    assert event.new_value == {"number": "1234567890", "status": "50", "items": 1}


def test_create_orders_fills_the_documented_defaults(member_client, world):
    # Given a body with only the required fields
    body = minimal_body(world, number="DEF-1")
    before = timezone.now()

    # When it is posted
    response = member_client.post(url(world.channel.pk), body, format="json")

    # Then status is 200, date_placed now, and the item takes the order's status and the channel's lists
    assert response.status_code == 201, response.json()
    order = Order.objects.get(number="DEF-1")
    assert order.status == "200"
    assert before <= order.date_placed <= timezone.now()
    assert (order.shipping_amount, order.net_shipping_amount) == (Decimal("0.00"), Decimal("0.00"))
    assert (order.shipping_company, order.cancel_status) == (None, None)
    item = order.orderitem_set.get()
    assert (item.status, item.price_list_id, item.stock_list_id) == (
        "200",
        world.channel.catalog.price_list_id,
        world.channel.catalog.stock_list_id,
    )
    assert (item.tax_rate, item.discount_amount, item.is_tradable) == (Decimal("0"), Decimal("0"), True)
    assert response.json()["orderitem_set"][0]["tax_rate"] == "0.00"


def test_create_orders_accepts_status_names_and_codes_and_keeps_them_as_sent(member_client, world):
    # Given an order sent as "approved" with one item "preparing" and one without a status
    body = minimal_body(
        world,
        number="ST-1",
        status="approved",
        items=[
            {"product": world.product.pk, "price": "10", "status": "450"},
            {"product": world.product.pk, "price": "10"},
        ],
    )

    # When it is posted
    response = member_client.post(url(world.channel.pk), body, format="json")

    # Then the statuses are stored as codes, as sent (not recomputed from the items)
    assert response.status_code == 201, response.json()
    order = Order.objects.get(number="ST-1")
    assert order.status == "400"
    assert list(order.orderitem_set.values_list("status", flat=True)) == ["450", "400"]


def test_create_orders_makes_one_row_and_one_reservation_per_unit(member_client, world):
    # Given an item with quantity 3 whose unit_price and total_price agree with price
    body = minimal_body(
        world,
        number="Q-3",
        items=[
            {"product": world.product.pk, "price": "25.50", "quantity": 3, "unit_price": 25.5, "total_price": "76.5"}
        ],
    )

    # When it is posted
    response = member_client.post(url(world.channel.pk), body, format="json")

    # Then three unit rows exist at the unit price, each with its own reservation
    assert response.status_code == 201, response.json()
    items = list(OrderItem.objects.filter(order__number="Q-3"))
    assert [item.price for item in items] == [Decimal("25.50")] * 3
    reservation_ids = {item.reservation_id for item in items}
    assert len(reservation_ids) == 3 and None not in reservation_ids
    assert StockReservation.objects.filter(pk__in=reservation_ids, stock=world.stock, quantity=1).count() == 3
    assert available(world.stock) == 7
    assert len(response.json()["orderitem_set"]) == 3


def test_create_orders_keeps_the_statement_count_independent_of_the_item_count(member_client, world):
    # Given two orders, one with 1 item and one with 8 items of 8 different products
    one = minimal_body(world, number="SQL-1")
    products = world.products(8)
    eight = minimal_body(
        world, number="SQL-8", items=[{"product": p.pk, "price": "5", "quantity": 2} for p in products]
    )

    # (a first request records the token's last use)
    assert (
        member_client.post(url(world.channel.pk), minimal_body(world, number="SQL-0"), format="json").status_code == 201
    )

    # When each is posted
    with CaptureQueriesContext(connection) as small:
        assert member_client.post(url(world.channel.pk), one, format="json").status_code == 201
    with CaptureQueriesContext(connection) as large:
        assert member_client.post(url(world.channel.pk), eight, format="json").status_code == 201

    # Then both ran the same number of statements
    assert len(large.captured_queries) == len(small.captured_queries)
    assert OrderItem.objects.filter(order__number="SQL-8").count() == 16


# --- 400: shape and rules, indexed per item -------------------------------------------------------


def _invalid(pk):
    return [f'Invalid pk "{pk}" - object does not exist.']


@pytest.fixture
def foreign(other_channel):
    """A customer and an address of another channel."""
    customer = CustomerFactory(channel=other_channel)
    return {"customer": customer, "address": AddressFactory(customer=customer)}


def _refusals(world, foreign):
    p = world.product.pk
    return {
        "missing number": (lambda b: b["order"].pop("number"), {"order": {"number": ["This field is required."]}}),
        "missing items": (lambda b: b.pop("order_item"), {"order_item": ["This field is required."]}),
        "empty items": (
            lambda b: b.update(order_item=[]),
            {"order_item": {"non_field_errors": ["This list may not be empty."]}},
        ),
        "second item's price": (
            lambda b: b["order_item"].append({"product": p, "price": "abc"}),
            {"order_item": [{}, {"price": ["A valid number is required."]}]},
        ),
        "negative money": (
            lambda b: b["order"].update(amount="-1"),
            {"order": {"amount": ["Ensure this value is greater than or equal to 0."]}},
        ),
        "three decimals": (
            lambda b: b["order_item"][0].update(price="1.005"),
            {"order_item": [{"price": ["Ensure that there are no more than 2 decimal places."]}]},
        ),
        "five-decimal rate": (
            lambda b: b["order_item"][0].update(tax_rate="18.00005"),
            {"order_item": [{"tax_rate": ["Ensure that there are no more than 4 decimal places."]}]},
        ),
        "unknown status": (
            lambda b: b["order"].update(status="lost"),
            {"order": {"status": ['Unknown status "lost"; use a code such as "400" or a name such as "approved".']}},
        ),
        "zero quantity": (
            lambda b: b["order_item"][0].update(quantity=0),
            {"order_item": [{"quantity": ["Ensure this value is greater than or equal to 1."]}]},
        ),
        "unknown customer": (lambda b: b["order"].update(customer=987654), {"order": {"customer": _invalid(987654)}}),
        "foreign customer": (
            lambda b: b["order"].update(customer=foreign["customer"].pk),
            {"order": {"customer": _invalid(foreign["customer"].pk)}},
        ),
        "foreign address": (
            lambda b: b["order"].update(billing_address=foreign["address"].pk),
            {"order": {"billing_address": _invalid(foreign["address"].pk)}},
        ),
        "unknown cargo company and payment option": (
            lambda b: b["order"].update(cargo_company=987654, payment_option=987655),
            {"order": {"cargo_company": _invalid(987654), "payment_option": _invalid(987655)}},
        ),
        "other channel in the body": (
            lambda b: b["order"].update(channel=world.channel.pk + 1000),
            {
                "order": {
                    "channel": [f"Must be the channel of the URL ({world.channel.pk}); got {world.channel.pk + 1000}."]
                }
            },
        ),
        "item currency": (
            lambda b: b["order_item"].append({"product": p, "price": "1", "price_currency": "eur"}),
            {"order_item": [{}, {"price_currency": ["Must be the order's currency (try); got eur."]}]},
        ),
        "unit and total price": (
            lambda b: b["order_item"].append(
                {"product": p, "price": "10", "quantity": 2, "unit_price": "9.99", "total_price": "10"}
            ),
            {
                "order_item": [
                    {},
                    {
                        "unit_price": ["Must equal price (the unit price, 10.00); got 9.99."],
                        "total_price": ["Must equal price × quantity (20.00); got 10.00."],
                    },
                ]
            },
        ),
        "unknown product, lists and parent": (
            lambda b: b["order_item"].insert(
                0, {"product": 987654, "price": "1", "price_list": 987655, "stock_list": 987656, "parent": 987657}
            ),
            {
                "order_item": [
                    {
                        "product": _invalid(987654),
                        "price_list": _invalid(987655),
                        "stock_list": _invalid(987656),
                        "parent": _invalid(987657),
                    },
                    {},
                ]
            },
        ),
        "delivery range backwards": (
            lambda b: b["order"].update(
                delivery_range={"start": "2025-05-23T00:00:00Z", "end": "2025-05-22T00:00:00Z"}
            ),
            {"order": {"delivery_range": {"end": ["Must not be before start."]}}},
        ),
        "id out of range": (
            lambda b: b["order"].update(customer=2**63),
            {"order": {"customer": ["Ensure this value is less than or equal to 9223372036854775807."]}},
        ),
        "too many units": (
            lambda b: b["order_item"].extend([{"product": p, "price": "1", "quantity": 600}] * 2),
            {"order_item": {"non_field_errors": ["An order may have at most 1000 units; this one has 1201."]}},
        ),
        "not an object": (
            lambda b: b["order"].update(extra_field=[1]),
            {"order": {"extra_field": ["Expected a JSON object."]}},
        ),
    }


REFUSAL_CASES = [
    "missing number",
    "missing items",
    "empty items",
    "second item's price",
    "negative money",
    "three decimals",
    "five-decimal rate",
    "unknown status",
    "zero quantity",
    "unknown customer",
    "foreign customer",
    "foreign address",
    "unknown cargo company and payment option",
    "other channel in the body",
    "item currency",
    "unit and total price",
    "unknown product, lists and parent",
    "delivery range backwards",
    "id out of range",
    "too many units",
    "not an object",
]


@pytest.mark.parametrize("case", REFUSAL_CASES)
def test_create_orders_refuses_invalid_input_with_400_and_writes_nothing(member_client, world, foreign, case):
    # Given a valid body spoiled in one way
    mutate, expected = _refusals(world, foreign)[case]
    body = minimal_body(world, number="BAD-1")
    mutate(body)

    # When it is posted, it is refused with DRF's nested shape, and nothing was written
    assert refused(member_client, world, body, 400) == expected
    assert available(world.stock) == 10


def test_create_orders_reports_order_and_item_errors_together(member_client, world, foreign):
    # Given a body whose customer is foreign and whose second item has a foreign currency
    body = minimal_body(
        world,
        number="BAD-2",
        customer=foreign["customer"].pk,
        items=[
            {"product": world.product.pk, "price": "1"},
            {"product": world.product.pk, "price": "1", "price_currency": "usd"},
        ],
    )

    # When it is posted
    response = member_client.post(url(world.channel.pk), body, format="json")

    # Then both errors come back in one answer
    assert response.status_code == 400
    assert response.json() == {
        "order": {"customer": _invalid(foreign["customer"].pk)},
        "order_item": [{}, {"price_currency": ["Must be the order's currency (try); got usd."]}],
    }
    assert not Order.objects.filter(number="BAD-2").exists()


@pytest.mark.parametrize(
    "body, expected",
    [
        ([1, 2], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
        ({"order": "x", "order_item": {}}, None),
    ],
)
def test_create_orders_refuses_bodies_of_the_wrong_type(member_client, world, body, expected):
    errors = refused(member_client, world, body, 400)
    if expected is not None:
        assert errors == expected
    else:
        assert set(errors) == {"order", "order_item"}


def test_create_orders_refuses_a_channel_without_a_default_stock_list_when_items_name_none(member, member_client):
    # Given a channel without a default stock list
    channel = ChannelFactory(catalog__stock_list=None)
    member.channel_memberships.create(channel=channel)
    world = world_for(ChannelFactory())
    customer = CustomerFactory(channel=channel)
    address = AddressFactory(customer=customer)
    body = {
        "order": {
            "number": "NSL-1",
            "customer": customer.pk,
            "shipping_address": address.pk,
            "billing_address": address.pk,
            "currency": "try",
            "amount": "1",
        },
        "order_item": [{"product": world.product.pk, "price": "1"}],
    }
    before = snapshot()

    # When an item names no stock list
    response = member_client.post(url(channel.pk), body, format="json")

    # Then the item is refused
    assert response.status_code == 400
    assert response.json() == {
        "order_item": [{"stock_list": ["This channel has no default stock list; send stock_list."]}]
    }
    assert snapshot() == before


# --- 404 / 401 / 403 ---------------------------------------------------------------------------------


def test_create_orders_answers_404_for_an_unknown_or_foreign_channel(member_client, world, other_channel):
    before = snapshot()
    for channel_id in (other_channel.pk, 987654):
        response = member_client.post(url(channel_id), minimal_body(world), format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "code": "not_found"}
    assert snapshot() == before


def test_create_orders_needs_a_login_and_the_add_order_permission(anon_client, readonly_member_client, world):
    before = snapshot()
    assert anon_client.post(url(world.channel.pk), minimal_body(world), format="json").status_code == 401
    response = readonly_member_client.post(url(world.channel.pk), minimal_body(world), format="json")
    assert response.status_code == 403
    assert snapshot() == before


def test_staff_may_create_orders_in_any_channel(staff_client, world):
    response = staff_client.post(url(world.channel.pk), minimal_body(world, number="STAFF-1"), format="json")
    assert response.status_code == 201


# --- 406: service-level refusals -------------------------------------------------------------------


def test_create_orders_refuses_an_existing_number_with_its_pk(member_client, world):
    # Given an order numbered N-1 in the channel
    existing = OrderFactory(
        channel=world.channel, number="N-1", customer=world.customer, shipping_address=world.address
    )

    # When another order with that number is posted, it is refused with the existing order's pk,
    # and nothing was written
    assert refused(member_client, world, minimal_body(world, number="N-1"), 406) == {
        "detail": "An order with number 'N-1' already exists in this channel.",
        "code": "order_number_exists",
        "pk": existing.pk,
    }
    assert available(world.stock) == 10


def test_create_orders_allows_the_same_number_in_another_channel(member, member_client, world, other_channel):
    OrderFactory(channel=other_channel, number="N-2")
    response = member_client.post(url(world.channel.pk), minimal_body(world, number="N-2"), format="json")
    assert response.status_code == 201


def test_create_orders_refuses_insufficient_stock_naming_skus_and_available(member_client, world):
    # Given 10 units of the product, and another product with 1 unit
    (scarce,) = world.products(1, stock=1)
    body = minimal_body(
        world,
        number="NS-1",
        items=[
            {"product": world.product.pk, "price": "1", "quantity": 4},
            {"product": scarce.pk, "price": "1", "quantity": 2},
            {"product": world.product.pk, "price": "1", "quantity": 7},
        ],
    )

    # When 11 and 2 units are ordered, the order is refused for both SKUs, and nothing was written
    assert refused(member_client, world, body, 406) == {
        "detail": f"Insufficient stock for: {world.product.sku}, {scarce.sku}.",
        "code": "insufficient_stock",
        "items": [
            {
                "sku": world.product.sku,
                "stock_list": world.channel.catalog.stock_list_id,
                "requested": 11,
                "available": 10,
            },
            {"sku": scarce.sku, "stock_list": world.channel.catalog.stock_list_id, "requested": 2, "available": 1},
        ],
    }
    assert available(world.stock) == 10


def test_create_orders_counts_a_missing_stock_row_as_nothing_available(member_client, world):
    unstocked = ProductFactory()
    body = minimal_body(world, number="NS-2", items=[{"product": unstocked.pk, "price": "1"}])
    assert refused(member_client, world, body, 406)["items"] == [
        {"sku": unstocked.sku, "stock_list": world.channel.catalog.stock_list_id, "requested": 1, "available": 0}
    ]


def test_create_orders_refuses_inactive_products(member_client, world):
    # Given an inactive product
    (inactive,) = world.products(1)
    inactive.is_active = False
    inactive.save()
    body = minimal_body(
        world,
        number="IN-1",
        items=[{"product": world.product.pk, "price": "1"}, {"product": inactive.pk, "price": "1", "quantity": 2}],
    )

    # When it is ordered, the order is refused naming it, and nothing was written
    assert refused(member_client, world, body, 406) == {
        "detail": f"Inactive product(s) cannot be ordered: {inactive.sku}.",
        "code": "product_inactive",
        "items": [{"product": inactive.pk, "sku": inactive.sku}],
    }


# --- Overselling ----------------------------------------------------------------------------------------


def test_create_orders_oversells_when_the_channel_allows_it_and_records_it(member, member_client, world):
    # Given a channel that allows overselling, 10 units of one product and none of another
    world.channel.conf = {**world.channel.conf, "allow_oversell": True}
    world.channel.save()
    unstocked = ProductFactory()
    body = minimal_body(
        world,
        number="OS-1",
        items=[{"product": world.product.pk, "price": "1", "quantity": 12}, {"product": unstocked.pk, "price": "2"}],
    )

    # When 12 and 1 units are ordered
    response = member_client.post(url(world.channel.pk), body, format="json")

    # Then the order is created; stocked units are reserved, the unstocked one is not
    assert response.status_code == 201, response.json()
    order = Order.objects.get(number="OS-1")
    items = list(order.orderitem_set.all())
    assert [item.reservation_id is not None for item in items] == [True] * 12 + [False]
    assert available(world.stock) == -2
    # And an oversold event names each short product
    events = list(OrderEvent.objects.filter(order=order, event_type=EventType.OVERSOLD).order_by("id"))
    assert [(event.item_id, event.new_value, event.actor_id) for event in events] == [
        (
            items[0].pk,
            {
                "sku": world.product.sku,
                "stock_list": world.channel.catalog.stock_list_id,
                "requested": 12,
                "available": 10,
            },
            member.pk,
        ),
        (
            items[12].pk,
            {"sku": unstocked.sku, "stock_list": world.channel.catalog.stock_list_id, "requested": 1, "available": 0},
            member.pk,
        ),
    ]


# --- Dry run ----------------------------------------------------------------------------------------------


def test_create_orders_dry_run_checks_everything_and_writes_nothing(member_client, world):
    # Given a valid body with 2 units
    body = seed_body(world)
    body["order_item"][0].update(quantity=2, total_price=200)
    before = snapshot()

    # When it is posted as a dry run
    response = member_client.post(url(world.channel.pk) + "?dry_run=true", body, format="json")

    # Then it answers 200 with what would be created, without ids, and wrote nothing
    assert response.status_code == 200, response.json()
    data = response.json()
    assert "pk" not in data
    assert data["number"] == "1234567890"
    assert data["net_shipping_amount"] == "20.00"
    assert data["items_total"] == "200.00"
    assert data["oversold"] == []
    assert len(data["orderitem_set"]) == 2
    assert all("pk" not in item and "order" not in item for item in data["orderitem_set"])
    assert data["orderitem_set"][0]["price"] == "100.00"
    assert snapshot() == before
    assert available(world.stock) == 10


def test_create_orders_dry_run_reports_the_refusals_of_a_real_create(member_client, world):
    OrderFactory(channel=world.channel, number="DR-1", customer=world.customer, shipping_address=world.address)
    before = snapshot()
    duplicate = member_client.post(
        url(world.channel.pk) + "?dry_run=1", minimal_body(world, number="DR-1"), format="json"
    )
    assert (duplicate.status_code, duplicate.json()["code"]) == (406, "order_number_exists")
    short = minimal_body(world, number="DR-2", items=[{"product": world.product.pk, "price": "1", "quantity": 11}])
    response = member_client.post(url(world.channel.pk) + "?dry_run=true", short, format="json")
    assert (response.status_code, response.json()["code"]) == (406, "insufficient_stock")
    assert snapshot() == before


def test_create_orders_refuses_an_unreadable_dry_run_flag(member_client, world):
    response = member_client.post(url(world.channel.pk) + "?dry_run=maybe", minimal_body(world), format="json")
    assert response.status_code == 400
    assert response.json() == {"dry_run": ["Must be true or false."]}
    assert not Order.objects.filter(number="MIN-1").exists()


# --- End to end -------------------------------------------------------------------------------------------


def test_an_integrator_creates_the_customer_and_addresses_an_order_refers_to(member_client, world):
    # Given a customer and two addresses created through the API
    channel_id = world.channel.pk
    customer = member_client.post(
        f"/api/v1/channel/{channel_id}/customers/", {"email": "buyer@example.com", "channel_code": "B-1"}, format="json"
    ).json()
    geography = {
        "country": world.address.country_id,
        "city": world.address.city_id,
        "township": world.address.township_id,
        "district": world.address.district_id,
    }
    addresses = [
        member_client.post(
            f"/api/v1/channel/{channel_id}/addresses/",
            {"customer": customer["pk"], "line": line, **geography},
            format="json",
        ).json()
        for line in ("Home street 1", "Office street 2")
    ]

    # When an order refers to them
    body = minimal_body(world, number="E2E-1", customer=customer["pk"])
    body["order"].update(shipping_address=addresses[0]["pk"], billing_address=addresses[1]["pk"])
    response = member_client.post(url(channel_id), body, format="json")

    # Then it is created with them
    assert response.status_code == 201, response.json()
    assert (response.json()["customer"], response.json()["shipping_address"], response.json()["billing_address"]) == (
        customer["pk"],
        addresses[0]["pk"],
        addresses[1]["pk"],
    )


def test_create_orders_dry_run_reports_oversold_units_on_an_oversell_channel(member_client, world):
    # Given a channel that allows overselling and 10 units in stock
    world.channel.conf = {**world.channel.conf, "allow_oversell": True}
    world.channel.save()
    body = minimal_body(world, number="DR-3", items=[{"product": world.product.pk, "price": "1", "quantity": 11}])
    before = snapshot()

    # When 11 units are checked in a dry run
    response = member_client.post(url(world.channel.pk) + "?dry_run=true", body, format="json")

    # Then the answer names the shortfall, and nothing was written
    assert response.status_code == 200, response.json()
    assert response.json()["oversold"] == [
        {"sku": world.product.sku, "stock_list": world.channel.catalog.stock_list_id, "requested": 11, "available": 10}
    ]
    assert snapshot() == before
