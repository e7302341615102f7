"""The admin's changelist searches: prefixes of order numbers and customers, served by indexes."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from channels.selectors import customer_search
from orders.models import Order, OrderItem
from orders.selectors import admin as admin_selectors
from tests.factories import CustomerFactory, OrderFactory, OrderItemFactory, ProductFactory

pytestmark = pytest.mark.django_db


def found(client, model: str, term: str) -> list:
    response = client.get(reverse(f"admin:orders_{model}_changelist"), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def orders():
    zeynep = CustomerFactory(email="zeynep.demir@example.com", first_name="Zeynep", last_name="Demir")
    mehmet = CustomerFactory(email="m.kaya@example.com", first_name="Mehmet", last_name="Kaya")
    return {
        "web1": OrderFactory(number="WEB-1001", customer=mehmet, channel=mehmet.channel),
        "web2": OrderFactory(number="WEB-1002", customer=mehmet, channel=mehmet.channel),
        "app": OrderFactory(number="APP-77", customer=zeynep, channel=zeynep.channel),
    }


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("WEB-100", ["web2", "web1"]),
        ("web-1002", ["web2"]),
        ("  WEB-1001 ", ["web1"]),
        ("zeynep", ["app"]),
        ("ZEYNEP.DEMIR@example.com", ["app"]),
        ("Demir", ["app"]),
        ("zeynep dem", ["app"]),
        ("m.kaya@", ["web2", "web1"]),
        ("mehmet", ["web2", "web1"]),
        ("EB-100", []),
        ("mehmet demir", []),
        ("nothing", []),
    ],
)
def test_orders_are_found_by_number_prefix_and_customer_email_or_name(admin_client, orders, term, expected):
    assert found(admin_client, "order", term) == [orders[name] for name in expected]


def test_an_empty_search_lists_every_order(admin_client, orders):
    assert found(admin_client, "order", "") == [orders["app"], orders["web2"], orders["web1"]]


def test_too_many_matches_are_cut_and_the_operator_is_told(admin_client, orders, monkeypatch):
    monkeypatch.setattr(admin_selectors, "SEARCH_ID_LIMIT", 1)
    response = admin_client.get(reverse("admin:orders_order_changelist"), {"q": "WEB"})
    assert len(response.context["cl"].result_list) == 1
    assert [str(message) for message in response.context["messages"]] == [
        "More than 1 orders match “WEB”; the first found are shown. Type more of it to narrow the search."
    ]


def test_a_search_within_the_limit_says_nothing_more(admin_client, orders):
    response = admin_client.get(reverse("admin:orders_order_changelist"), {"q": "WEB"})
    assert list(response.context["messages"]) == []


def test_items_are_found_by_order_number_prefix_or_exact_sku(admin_client, orders):
    first = OrderItemFactory(order=orders["web1"])
    second = OrderItemFactory(order=orders["web2"])
    other = OrderItemFactory(order=orders["app"], product=ProductFactory(sku="SKU-RED-1"))
    assert found(admin_client, "orderitem", "web-10") == [first, second]
    assert found(admin_client, "orderitem", "SKU-RED-1") == [other]
    assert found(admin_client, "orderitem", "SKU-RED") == []


def test_events_and_plans_are_found_by_order_number_prefix(admin_client, orders, staff_user):
    from orders.models import CancellationPlan, OrderEvent
    from orders.services.erp import order_mark_sent

    order_mark_sent(order=orders["web1"], is_send=True, actor=staff_user)
    order_mark_sent(order=orders["app"], is_send=True, actor=staff_user)
    plan = CancellationPlan.objects.create(order=orders["web2"], cancellation_type="cancel")
    assert found(admin_client, "orderevent", "web-") == list(OrderEvent.objects.filter(order=orders["web1"]))
    assert found(admin_client, "cancellationplan", "WEB-1002") == [plan]
    assert found(admin_client, "cancellationplan", "APP") == []


def test_payments_are_found_by_exact_remote_id_or_order_number_prefix(admin_client, orders):
    from orders.models import PaymentTransaction

    paid = PaymentTransaction.objects.create(order=orders["app"], amount="10.00", currency="try", remote_id="PAY-9")
    assert found(admin_client, "paymenttransaction", "PAY-9") == [paid]
    assert found(admin_client, "paymenttransaction", "app-") == [paid]
    assert found(admin_client, "paymenttransaction", "PAY") == []


def test_the_customer_changelist_finds_by_email_or_name_prefix(admin_client, orders):
    response = admin_client.get(reverse("admin:channels_customer_changelist"), {"q": "zeyn"})
    assert [customer.email for customer in response.context["cl"].result_list] == ["zeynep.demir@example.com"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Order.objects.filter(number__istartswith="WEB-10"), "order_number_prefix_idx"),
        (lambda: customer_search("zeynep").filter(email__istartswith="z"), "customer_email_prefix_idx"),
        (
            lambda: customer_search("zeynep").filter(first_name__istartswith="z"),
            "customer_first_name_prefix_idx",
        ),
        (
            lambda: customer_search("zeynep").filter(last_name__istartswith="d"),
            "customer_last_name_prefix_idx",
        ),
    ],
    ids=["order-number", "customer-email", "customer-first-name", "customer-last-name"],
)
def test_the_prefix_lookups_are_served_by_their_indexes(orders, queryset, index):
    """With sequential scans priced out, PostgreSQL must find an index matching the lookup's SQL
    (expression and operator class) — whatever the size of the test tables."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset().order_by().explain()
    assert index in plan


@pytest.mark.postgres
def test_the_changelist_filters_by_primary_key_not_by_the_prefix(admin_client, orders):
    """The final statement lists ids, so that PostgreSQL cannot walk the primary key looking for
    prefix matches under ORDER BY id DESC LIMIT (see orders/selectors/admin.py)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        found(admin_client, "order", "WEB")
    listing = [query["sql"] for query in captured if query["sql"].startswith('SELECT "orders_order"."id", ')]
    assert len(listing) == 1
    where = listing[0].partition(" WHERE ")[2]
    assert where.startswith(f'"orders_order"."id" IN ({orders["web1"].pk}, {orders["web2"].pk})')
    assert "LIKE" not in where


def test_an_item_search_never_loads_more_ids_than_the_limit(admin_client, orders, monkeypatch):
    monkeypatch.setattr(admin_selectors, "SEARCH_ID_LIMIT", 2)
    for _ in range(3):
        OrderItemFactory(order=orders["web1"])
    response = admin_client.get(reverse("admin:orders_orderitem_changelist"), {"q": "WEB-1001"})
    assert list(response.context["cl"].result_list) == list(OrderItem.objects.order_by("id")[:2])
    assert [str(message) for message in response.context["messages"]] == [
        "More than 2 order items match “WEB-1001”; the first found are shown. Type more of it to narrow the search."
    ]
