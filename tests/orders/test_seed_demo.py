"""seed_demo builds a coherent world, prints what a new user needs, and is idempotent."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from catalog.models import ProductStock, StockReservation
from channels.models import Customer
from orders.demo import DEMO_ORDER_STATUSES
from orders.models import Order, OrderItem

pytestmark = pytest.mark.django_db

REQUIRED_KEYS = {
    "base_url",
    "username",
    "password",
    "token",
    "channel_id",
    "other_channel_id",
    "product_skus",
    "price_list_id",
    "stock_list_id",
    "customer_id",
    "address_id",
}


def seed(*args) -> dict:
    out = io.StringIO()
    call_command("seed_demo", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in ("auth", "omnitron", "channels", "catalog", "orders")
        for model in apps.get_app_config(label).get_models()
    }


def test_seed_demo_prints_credentials_that_work():
    info = seed()
    assert set(info) >= REQUIRED_KEYS
    assert len(info["product_skus"]) == 12
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {info['token']}")
    assert client.get("/api/v1/order_statuses/").status_code == 200
    login = APIClient().post(
        "/api/v1/auth/login/", {"username": info["username"], "password": info["password"]}, format="json"
    )
    assert login.status_code == 200


def test_seed_demo_twice_gives_the_same_counts_and_token():
    first = seed()
    before = counts()
    second = seed()
    assert counts() == before
    assert second["token"] == first["token"]
    assert before["orders.Order"] == 14
    assert before["channels.Channel"] == 2


def test_demo_orders_span_several_statuses_and_reserve_consistently():
    seed()
    assert set(Order.objects.values_list("status", flat=True)) == {"100", "200", "400", "450", "500", "550"}
    for order in Order.objects.prefetch_related("orderitem_set"):
        assert {item.status for item in order.orderitem_set.all()} == {order.status}
    active = StockReservation.objects.filter(released_at__isnull=True)
    assert set(OrderItem.objects.filter(reservation__in=active).values_list("status", flat=True)) == {"200", "400"}
    for stock in ProductStock.objects.all():
        assert stock.stock >= active.filter(stock=stock).count()


def test_bulk_orders_are_topped_up_not_duplicated():
    info = seed("--orders", "30")
    assert info["bulk_orders_created"] == 30
    assert seed("--orders", "30")["bulk_orders_created"] == 0
    assert seed("--orders", "45")["bulk_orders_created"] == 15
    assert Order.objects.filter(number__startswith="BULK-").count() == 45
    items = OrderItem.objects.filter(order__number__startswith="BULK-")
    assert items.count() >= 45
    assert all(item.channel_id == item.order.channel_id for item in items.select_related("order"))


@pytest.mark.django_db(transaction=True)
def test_reset_empties_the_database_and_restores_the_demo_ids():
    """As run from the command line: outside a transaction (PostgreSQL refuses TRUNCATE with pending checks)."""
    first = seed()
    Customer.objects.create(channel_id=first["channel_id"], channel_code="C-1001", email="ayse@example.com")
    Order.objects.filter(number="DEMO-1-0002").update(is_send=True)
    info = seed("--reset")
    assert not Customer.objects.filter(channel_code="C-1001").exists()
    assert (info["channel_id"], info["other_channel_id"], info["customer_id"], info["address_id"]) == (1, 2, 1, 1)
    assert info["product_ids"] == list(range(1, 13))
    assert info["token"] == first["token"]
    assert list(Order.objects.filter(channel_id=1).order_by("pk").values_list("pk", "number", "is_send")) == [
        (index, f"DEMO-1-{index:04d}", status >= "450") for index, status in enumerate(DEMO_ORDER_STATUSES, start=1)
    ]
    assert counts()["orders.Order"] == 14


def test_reset_is_refused_in_production(settings):
    seed()
    before = counts()
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refused with DJANGO_ENV=production"):
        seed("--reset")
    assert counts() == before


def test_the_plain_output_says_the_token_works_as_printed_and_how_to_reset():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"  token: {seed()['token']}" in lines
    assert lines[-2:] == [
        "  The token works as printed: send 'Authorization: Token <token>'.",
        "  `make demo-reset` (seed_demo --reset) puts this data back as it was, with the same ids.",
    ]
