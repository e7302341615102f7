"""create_orders: which rows an order may name (the channel's lists, its customer's addresses),
which items hold stock (none created final or delivered), and how order numbers are normalized."""

import unicodedata
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from catalog.models import ReleaseReason, StockReservation
from catalog.selectors import channel_list_ids
from catalog.services import reservations_release
from orders.models import Order, OrderItem
from tests.factories import (
    AddressFactory,
    CargoCompanyFactory,
    ChannelFactory,
    CustomerFactory,
    OrderFactory,
    OrderItemFactory,
    PaymentOptionFactory,
    PriceListFactory,
    ProductPriceFactory,
    ProductStockFactory,
    StockListFactory,
)
from tests.orders.create_orders_support import (
    available,
    final_items_holding_stock,
    minimal_body,
    snapshot,
    url,
    world_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(channel):
    return world_for(channel)


def _invalid(pk):
    return [f'Invalid pk "{pk}" - object does not exist.']


def post(client, world, body):
    return client.post(url(world.channel.pk), body, format="json")


# --- The channel's price and stock lists ----------------------------------------------------------


@pytest.fixture
def elsewhere(world, other_channel):
    """Another channel's lists, holding stock and a price for the world's product."""
    price = ProductPriceFactory(price_list=other_channel.catalog.price_list, product=world.product)
    stock = ProductStockFactory(stock_list=other_channel.catalog.stock_list, product=world.product, stock=5)
    return {"channel": other_channel, "price": price, "stock": stock}


def test_the_lists_a_channel_uses_are_its_default_price_and_stock_list(world, other_channel):
    prices = channel_list_ids(channel_id=world.channel.pk, kind="price")
    stocks = channel_list_ids(channel_id=world.channel.pk, kind="stock")
    assert [list(row.values()) for row in prices] == [[world.channel.catalog.price_list_id]]
    assert [list(row.values()) for row in stocks] == [[world.channel.catalog.stock_list_id]]
    bare = ChannelFactory(catalog=None)
    assert list(channel_list_ids(channel_id=bare.pk, kind="stock")) == []


def test_an_item_cannot_reserve_stock_on_a_stock_list_only_another_channel_uses(member_client, world, elsewhere):
    # Given an item naming the stock list of another channel, where the product has 5 units
    body = minimal_body(
        world,
        number="XCH-1",
        items=[{"product": world.product.pk, "price": "100.00", "stock_list": elsewhere["stock"].stock_list_id}],
    )
    before = snapshot()

    response = post(member_client, world, body)

    # Then it is refused like an id that does not exist, and the other channel keeps its stock
    assert response.status_code == 400
    assert response.json() == {"order_item": [{"stock_list": _invalid(elsewhere["stock"].stock_list_id)}]}
    assert snapshot() == before
    assert available(elsewhere["stock"]) == 5
    assert available(world.stock) == 10


def test_an_item_cannot_name_a_price_list_only_another_channel_uses(member_client, world, elsewhere):
    body = minimal_body(
        world,
        number="XCH-2",
        items=[
            {"product": world.product.pk, "price": "100.00"},
            {"product": world.product.pk, "price": "100.00", "price_list": elsewhere["price"].price_list_id},
        ],
    )
    before = snapshot()

    response = post(member_client, world, body)

    assert response.status_code == 400
    assert response.json() == {"order_item": [{}, {"price_list": _invalid(elsewhere["price"].price_list_id)}]}
    assert snapshot() == before


def test_lists_no_channel_uses_are_refused_too(member_client, world):
    price_list, stock_list = PriceListFactory(), StockListFactory()
    ProductStockFactory(stock_list=stock_list, product=world.product, stock=3)
    body = minimal_body(
        world,
        number="XCH-3",
        items=[{"product": world.product.pk, "price": "1", "price_list": price_list.pk, "stock_list": stock_list.pk}],
    )
    before = snapshot()

    response = post(member_client, world, body)

    assert response.status_code == 400
    assert response.json() == {
        "order_item": [{"price_list": _invalid(price_list.pk), "stock_list": _invalid(stock_list.pk)}]
    }
    assert snapshot() == before


def test_an_item_may_name_the_channels_own_lists(member_client, world, elsewhere):
    body = minimal_body(
        world,
        number="OWN-1",
        items=[
            {
                "product": world.product.pk,
                "price": "100.00",
                "price_list": world.channel.catalog.price_list_id,
                "stock_list": world.channel.catalog.stock_list_id,
            }
        ],
    )

    response = post(member_client, world, body)

    assert response.status_code == 201, response.json()
    item = OrderItem.objects.get(order__number="OWN-1")
    assert (item.price_list_id, item.stock_list_id) == (
        world.channel.catalog.price_list_id,
        world.channel.catalog.stock_list_id,
    )
    assert available(world.stock) == 9
    assert available(elsewhere["stock"]) == 5


@pytest.mark.parametrize("field", ["cargo_company", "payment_option"])
def test_an_inactive_cargo_company_or_payment_option_is_refused(member_client, world, field):
    # Inactive rows are not among the channel's lookups, so an order cannot name them either.
    row = CargoCompanyFactory(is_active=False) if field == "cargo_company" else PaymentOptionFactory(is_active=False)
    before = snapshot()

    response = post(member_client, world, minimal_body(world, number="INACTIVE-1", **{field: row.pk}))

    assert response.status_code == 400
    assert response.json() == {"order": {field: _invalid(row.pk)}}
    assert snapshot() == before


# --- Addresses of the order's customer ------------------------------------------------------------


@pytest.fixture
def neighbour(world):
    """Another customer of the same channel, with an address."""
    customer = CustomerFactory(channel=world.channel)
    return {"customer": customer, "address": AddressFactory(customer=customer)}


@pytest.mark.parametrize("field", ["shipping_address", "billing_address"])
def test_an_address_of_another_customer_of_the_channel_is_refused(member_client, world, neighbour, field):
    body = minimal_body(world, number="ADDR-1", **{field: neighbour["address"].pk})
    before = snapshot()

    response = post(member_client, world, body)

    assert response.status_code == 400
    assert response.json() == {
        "order": {
            field: [
                f"Address {neighbour['address'].pk} belongs to customer {neighbour['customer'].pk}, not to the "
                f"order's customer {world.customer.pk}; the channel allows that only with "
                '"allow_addresses_of_other_customers": true in its conf.'
            ]
        }
    }
    assert snapshot() == before


def test_an_unknown_customer_is_reported_without_an_address_complaint(member_client, world):
    response = post(member_client, world, minimal_body(world, number="ADDR-2", customer=987654))

    assert response.status_code == 400
    assert response.json() == {"order": {"customer": _invalid(987654)}}


def test_a_channel_may_allow_addresses_of_other_customers(member_client, world, neighbour):
    world.channel.conf = {"allow_addresses_of_other_customers": True}
    world.channel.save()
    body = minimal_body(world, number="GUEST-1", billing_address=neighbour["address"].pk)

    response = post(member_client, world, body)

    assert response.status_code == 201, response.json()
    order = Order.objects.get(number="GUEST-1")
    assert (order.customer_id, order.shipping_address_id, order.billing_address_id) == (
        world.customer.pk,
        world.address.pk,
        neighbour["address"].pk,
    )


def test_only_true_allows_addresses_of_other_customers(member_client, world, neighbour):
    world.channel.conf = {"allow_addresses_of_other_customers": "yes"}
    world.channel.save()

    response = post(
        member_client, world, minimal_body(world, number="GUEST-2", billing_address=neighbour["address"].pk)
    )

    assert response.status_code == 400
    assert list(response.json()["order"]) == ["billing_address"]
    assert not Order.objects.filter(number="GUEST-2").exists()


# --- Reservations follow the status an item is created in ----------------------------------------


@pytest.mark.parametrize("status", ["100", "547", "550", "600", "cancelled", "refunded"])
def test_an_order_created_final_or_delivered_holds_no_stock(member_client, world, status):
    # Given no stock left at all: such an order takes none, so it is not refused for want of it
    world.stock.stock = 0
    world.stock.save()
    body = minimal_body(
        world, number="FINAL-1", status=status, items=[{"product": world.product.pk, "price": "50", "quantity": 2}]
    )

    response = post(member_client, world, body)

    assert response.status_code == 201, response.json()
    items = OrderItem.objects.filter(order__number="FINAL-1")
    assert [item.reservation_id for item in items] == [None, None]
    assert StockReservation.objects.count() == 0
    assert available(world.stock) == 0


def test_an_order_created_cancelled_is_not_cancelled_again(member_client, world):
    response = post(member_client, world, minimal_body(world, number="FINAL-2", status="100"))
    assert response.status_code == 201
    item = OrderItem.objects.get(order__number="FINAL-2")

    cancel = member_client.post(
        f"/api/i1/orders/{item.order_id}/cancel/",
        {"cancel_items": [item.pk], "reasons": {str(item.pk): 1}},
        format="json",
    )

    assert cancel.status_code == 400
    assert cancel.json() == {"cancel_items": [f"Item {item.pk} is already final (100)."]}
    assert available(world.stock) == 10


def test_only_the_items_that_are_not_final_reserve_stock(member_client, world):
    body = minimal_body(
        world,
        number="MIXED-1",
        status="400",
        items=[
            {"product": world.product.pk, "price": "10", "quantity": 2},
            {"product": world.product.pk, "price": "10", "status": "100"},
            {"product": world.product.pk, "price": "10", "status": "550"},
        ],
    )

    response = post(member_client, world, body)

    assert response.status_code == 201, response.json()
    statuses = OrderItem.objects.filter(order__number="MIXED-1").order_by("pk").values_list("status", flat=True)
    assert list(statuses) == ["400", "400", "100", "550"]
    reserved = OrderItem.objects.filter(order__number="MIXED-1").exclude(reservation=None)
    assert sorted(reserved.values_list("status", flat=True)) == ["400", "400"]
    assert available(world.stock) == 8


def test_an_item_refunded_after_shipping_releases_its_stock(member_client, world):
    response = post(member_client, world, minimal_body(world, number="REF-1", status="400"))
    item = OrderItem.objects.get(order__number="REF-1")
    assert response.status_code == 201 and available(world.stock) == 9
    assert member_client.patch(f"/api/i1/order_items/{item.pk}/", {"status": "500"}, format="json").status_code == 200

    refunded = member_client.patch(f"/api/i1/order_items/{item.pk}/", {"status": "600"}, format="json")

    assert refunded.status_code == 200, refunded.json()
    item.reservation.refresh_from_db()
    assert item.reservation.released_at is not None
    assert available(world.stock) == 10


# --- Order numbers ---------------------------------------------------------------------------------

NFC = unicodedata.normalize("NFC", "ÇİZGİ-1")
NFD = unicodedata.normalize("NFD", "ÇİZGİ-1")


def test_surrounding_whitespace_is_not_part_of_the_number(member_client, world):
    response = post(member_client, world, minimal_body(world, number="ABC-1 "))

    assert response.status_code == 201, response.json()
    assert response.json()["number"] == "ABC-1"
    assert Order.objects.get(pk=response.json()["pk"]).number == "ABC-1"
    for again in ("ABC-1", " ABC-1", "\tABC-1\n"):
        duplicate = post(member_client, world, minimal_body(world, number=again))
        assert duplicate.status_code == 406, again
        assert duplicate.json()["code"] == "order_number_exists"
        assert duplicate.json()["pk"] == response.json()["pk"]
    assert Order.objects.filter(channel=world.channel, number__contains="ABC-1").count() == 1


def test_nfc_and_nfd_spellings_are_one_number(member_client, world):
    assert NFC != NFD
    first = post(member_client, world, minimal_body(world, number=NFD))
    assert first.status_code == 201, first.json()
    assert Order.objects.get(pk=first.json()["pk"]).number == NFC

    second = post(member_client, world, minimal_body(world, number=NFC))

    assert second.status_code == 406
    assert second.json()["pk"] == first.json()["pk"]


@pytest.mark.parametrize(
    "number, message",
    [
        ("   ", "An order number must not be empty or only whitespace."),
        ("\t\n", "An order number must not be empty or only whitespace."),
        ("AB\x1bC", "An order number must not contain control characters (found U+001B)."),
        ("AB\nC", "An order number must not contain control characters (found U+000A)."),
        ("AB\x7fC", "An order number must not contain control characters (found U+007F)."),
        ("", "This field may not be blank."),
        ("X" * 129, "Ensure this field has no more than 128 characters."),
    ],
)
def test_an_unusable_number_is_refused(member_client, world, number, message):
    before = snapshot()

    response = post(member_client, world, minimal_body(world, number=number))

    assert response.status_code == 400
    assert response.json() == {"order": {"number": [message]}}
    assert snapshot() == before


def test_a_long_number_padded_with_spaces_fits_once_stripped(member_client, world):
    response = post(member_client, world, minimal_body(world, number=" " + "X" * 128 + " "))

    assert response.status_code == 201
    assert response.json()["number"] == "X" * 128


@pytest.fixture
def numbered(world, other_channel):
    """An order numbered NFC ``ÇİZGİ-1`` in the channel, and one of the same number elsewhere."""
    order = OrderFactory(channel=world.channel, number=NFC, customer=world.customer, shipping_address=world.address)
    item = OrderItemFactory(order=order)
    OrderItemFactory(order=OrderFactory(channel=other_channel, number=NFC))
    OrderItemFactory(order__channel=world.channel)
    return order, item


NUMBER_LOOKUPS = [
    ("/api/v1/channel/{channel}/orders/", "number", "order"),
    ("/api/i1/orders/", "number", "order"),
    ("/api/v1/channel/{channel}/order_items/", "order__number", "item"),
    ("/api/i1/order_items/", "order__number", "item"),
    ("/api/v1/oms/order_items/", "order_number", "item"),
]


@pytest.mark.parametrize("path, param, kind", NUMBER_LOOKUPS)
@pytest.mark.parametrize("spelling", [f" {NFC} ", NFD, f"{NFD}\t"], ids=["spaces", "nfd", "nfd-tab"])
def test_every_lookup_by_number_normalizes_it(member_client, world, numbered, path, param, kind, spelling):
    order, item = numbered

    response = member_client.get(path.format(channel=world.channel.pk), {param: spelling})

    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [row.get("pk", row.get("id")) for row in results] == [order.pk if kind == "order" else item.pk]


@pytest.mark.parametrize("path, param, kind", NUMBER_LOOKUPS)
def test_a_lookup_by_a_number_with_control_characters_is_400(member_client, world, path, param, kind):
    response = member_client.get(path.format(channel=world.channel.pk), {param: "AB\x01C"})

    assert response.status_code == 400
    assert response.json() == {param: ["An order number must not contain control characters (found U+0001)."]}


@pytest.mark.parametrize(
    "changelist", ["admin:orders_order_changelist", "admin:orders_orderitem_changelist"], ids=["orders", "items"]
)
def test_the_admin_search_by_number_normalizes_it(staff_user, numbered, changelist):
    # Staff see every channel: both orders numbered ÇİZGİ-1 (and their items), nothing else
    client = Client()
    client.force_login(staff_user)
    model = Order if changelist.endswith("order_changelist") else OrderItem
    expected = model.objects.filter(**{"number" if model is Order else "order__number": NFC}).order_by("pk")
    assert len(expected) == 2

    response = client.get(reverse(changelist), {"q": NFD})

    assert response.status_code == 200
    assert sorted(row.pk for row in response.context["cl"].result_list) == [row.pk for row in expected]


# --- The data migration ----------------------------------------------------------------------------


class _SchemaEditor:
    connection = connection


def test_the_migration_normalizes_stored_numbers_and_reports_collisions(world, other_channel, capsys):
    migration = import_module("orders.migrations.0002_normalize_order_numbers")

    def order(number, channel=world.channel):
        return OrderFactory(channel=channel, number=number, customer=world.customer, shipping_address=world.address)

    padded = order("PAD-1 ")
    decomposed = order(NFD)
    taken, clashing = order("TAKEN-1"), order("TAKEN-1 ")
    twin_a, twin_b = order("TWIN-1 "), order(" TWIN-1")
    blank = order("   ")
    elsewhere = order(" PAD-1", channel=other_channel)
    clean = order("CLEAN-1")

    migration.normalize_order_numbers(apps, _SchemaEditor())

    numbers = dict(Order.objects.values_list("pk", "number"))
    assert numbers[padded.pk] == "PAD-1"
    assert numbers[decomposed.pk] == NFC
    assert numbers[elsewhere.pk] == "PAD-1"  # another channel: no collision
    assert numbers[clean.pk] == "CLEAN-1"
    assert (numbers[taken.pk], numbers[clashing.pk]) == ("TAKEN-1", "TAKEN-1 ")
    assert (numbers[twin_a.pk], numbers[twin_b.pk]) == ("TWIN-1 ", " TWIN-1")
    assert numbers[blank.pk] == "   "
    out = capsys.readouterr().out
    assert "Order numbers normalized: 3." in out
    channel = world.channel.pk
    assert f"'TAKEN-1' is another order's number in channel {channel}: order {clashing.pk} 'TAKEN-1 '" in out
    assert f"'TWIN-1' is another order's number in channel {channel}: order {twin_a.pk} 'TWIN-1 '" in out
    assert f"'TWIN-1' is another order's number in channel {channel}: order {twin_b.pk} ' TWIN-1'" in out
    assert f"empty or with control characters: order {blank.pk} of channel {channel} '   '" in out
    assert f"order {taken.pk} " not in out

    # Run again: what could be normalized is, the rest is reported again and still unchanged
    migration.normalize_order_numbers(apps, _SchemaEditor())
    assert "Order numbers normalized: 0." in capsys.readouterr().out
    assert dict(Order.objects.values_list("pk", "number")) == numbers


# --- The audit itself ------------------------------------------------------------------------------


def test_the_stock_audit_finds_a_final_item_that_holds_stock(world):
    reservation = StockReservation.objects.create(stock=world.stock)
    item = OrderItemFactory(order__channel=world.channel, status="600", reservation=reservation)
    OrderItemFactory(
        order__channel=world.channel, status="400", reservation=StockReservation.objects.create(stock=world.stock)
    )

    assert final_items_holding_stock() == [(item.pk, "600", reservation.pk)]

    reservations_release(reservation_ids=[reservation.pk], reason=ReleaseReason.CANCELED)
    assert final_items_holding_stock() == []
