"""Cancellation, bulk status updates and ERP code mappings (API.md 4.3)."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from catalog.models import StockReservation
from channels.models import IntegrationMapping
from orders.models import CancellationPlan, EventType, Order, OrderEvent, OrderItem
from tests.factories import CancellationReasonFactory, OrderFactory, OrderItemFactory, ProductStockFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reason(db):
    return CancellationReasonFactory()


@pytest.fixture
def order(channel):
    """An approved order with three reserved units (10 in stock)."""
    order = OrderFactory(channel=channel, status="400", shipping_amount=Decimal("15.00"))
    stock = ProductStockFactory(stock_list=channel.catalog.stock_list, stock=10)
    for price in ("100.00", "50.00", "25.00"):
        OrderItemFactory(
            order=order,
            product=stock.product,
            price=Decimal(price),
            status="400",
            reservation=StockReservation.objects.create(stock=stock),
        )
    return order


def items_of(order) -> list[OrderItem]:
    return list(OrderItem.objects.filter(order=order).order_by("id"))


def state(order) -> tuple:
    """Everything a cancellation may touch."""
    return (
        list(OrderItem.objects.filter(order=order).order_by("id").values_list("status", "cancel_status")),
        list(
            StockReservation.objects.filter(order_item__order=order)
            .order_by("id")
            .values_list("released_at", flat=True)
        ),
        CancellationPlan.objects.filter(order=order).count(),
        Order.objects.get(pk=order.pk).status,
    )


def cancel(client, order, body, prefix="/api/i1"):
    return client.post(f"{prefix}/orders/{order.pk}/cancel/", body, format="json")


def test_cancel_items_below_500_cancels_them_and_releases_stock(member_client, order, reason, member):
    first, second, third = items_of(order)
    response = cancel(
        member_client,
        order,
        {"cancel_items": [first.pk, second.pk], "reasons": {str(first.pk): reason.pk, str(second.pk): reason.pk}},
    )
    assert response.status_code == 200, response.content
    plan = response.json()["cancellation_plans"][0]
    assert (plan["cancellation_type"], plan["status"], plan["refund_amount"]) == ("cancel", "completed", "150.00")
    assert plan["items"] == [
        {"order_item": first.pk, "reason": reason.pk},
        {"order_item": second.pk, "reason": reason.pk},
    ]
    assert state(order)[0] == [("100", "completed"), ("100", "completed"), ("400", None)]
    released = StockReservation.objects.filter(order_item__in=[first, second], released_at__isnull=False)
    assert released.count() == 2 and set(released.values_list("release_reason", flat=True)) == {"canceled"}
    assert StockReservation.objects.get(order_item=third).released_at is None
    assert Order.objects.get(pk=order.pk).status == "400"
    assert OrderEvent.objects.filter(order=order, event_type=EventType.CANCELED, actor=member).count() == 1


def test_cancel_all_cancels_the_order(member_client, order, reason):
    reasons = {str(item.pk): reason.pk for item in items_of(order)}
    response = cancel(member_client, order, {"is_all": True, "reasons": reasons, "is_cargo_refund": True})
    assert response.status_code == 200
    assert response.json()["cancellation_plans"][0]["refund_amount"] == "190.00"
    assert Order.objects.get(pk=order.pk).status == "100"
    assert not StockReservation.objects.filter(order_item__order=order, released_at__isnull=True).exists()


def test_cancelling_twice_is_refused_and_releases_stock_once(member_client, order, reason):
    first = items_of(order)[0]
    body = {"cancel_items": [first.pk], "reasons": {str(first.pk): reason.pk}}
    assert cancel(member_client, order, body).status_code == 200
    before = state(order)
    released_at = StockReservation.objects.get(order_item=first).released_at
    response = cancel(member_client, order, body)
    assert response.status_code == 400
    assert response.json() == {"cancel_items": [f"Item {first.pk} is already final (100)."]}
    assert state(order) == before
    assert StockReservation.objects.get(order_item=first).released_at == released_at


@pytest.mark.parametrize(
    "body_of, message_key",
    [
        (
            lambda items, reason: {
                "is_all": True,
                "cancel_items": [items[0].pk],
                "reasons": {str(items[0].pk): reason.pk},
            },
            "non_field_errors",
        ),
        (lambda items, reason: {"reasons": {}}, "non_field_errors"),
        (
            lambda items, reason: {
                "cancel_items": [items[0].pk, items[1].pk],
                "reasons": {str(items[0].pk): reason.pk},
            },
            "reasons",
        ),
        (lambda items, reason: {"cancel_items": [items[0].pk], "reasons": {str(items[0].pk): 999999}}, "reasons"),
        (
            lambda items, reason: {
                "cancel_items": [items[0].pk],
                "reasons": {str(items[0].pk): reason.pk, str(items[1].pk): reason.pk},
            },
            "reasons",
        ),
        (lambda items, reason: {"cancel_items": [items[0].pk], "reasons": {"abc": reason.pk}}, "reasons"),
        (lambda items, reason: {"cancel_items": ["x"], "reasons": {}}, "cancel_items"),
        (
            lambda items, reason: {
                "cancel_items": [items[0].pk],
                "reasons": {str(items[0].pk): reason.pk},
                "forced_refund_amount": "-5",
            },
            "forced_refund_amount",
        ),
    ],
    ids=[
        "overlap",
        "nothing",
        "missing-reason",
        "unknown-reason",
        "extra-reason",
        "bad-key",
        "bad-id",
        "negative-refund",
    ],
)
def test_cancel_refusals_change_nothing(member_client, order, reason, body_of, message_key):
    before = state(order)
    response = cancel(member_client, order, body_of(items_of(order), reason))
    assert response.status_code == 400
    assert list(response.json()) == [message_key]
    assert state(order) == before


def test_cancel_refuses_items_of_another_order(member_client, order, reason, channel):
    other = OrderItemFactory(order=OrderFactory(channel=channel))
    before = state(order)
    response = cancel(member_client, order, {"cancel_items": [other.pk], "reasons": {str(other.pk): reason.pk}})
    assert response.status_code == 400
    assert response.json() == {"cancel_items": [f"Items {other.pk} do not belong to order {order.number}."]}
    assert state(order) == before
    assert OrderItem.objects.get(pk=other.pk).status == "400"


def test_shipped_items_become_a_refund_request_that_completes_at_600(member_client, order, reason):
    first = items_of(order)[0]
    OrderItem.objects.filter(pk=first.pk).update(status="550")
    response = cancel(member_client, order, {"cancel_items": [first.pk], "reasons": {str(first.pk): reason.pk}})
    plan = response.json()["cancellation_plans"][0]
    assert (plan["cancellation_type"], plan["status"], plan["refund_amount"]) == ("refund", "waiting", "100.00")
    first.refresh_from_db()
    assert (first.status, first.cancel_status) == ("550", "waiting")
    assert StockReservation.objects.get(order_item=first).released_at is None
    again = cancel(member_client, order, {"cancel_items": [first.pk], "reasons": {str(first.pk): reason.pk}})
    assert again.json() == {"cancel_items": [f"Item {first.pk} is already waiting for cancellation."]}
    response = member_client.patch(f"/api/i1/order_items/{first.pk}/", {"status": "refunded"}, format="json")
    assert response.status_code == 200
    first.refresh_from_db()
    assert (first.status, first.cancel_status) == ("600", "completed")
    assert CancellationPlan.objects.get(pk=plan["pk"]).status == "completed"


def test_mixed_cancel_writes_a_cancel_and_a_refund_plan(member_client, order, reason):
    first, second, _ = items_of(order)
    OrderItem.objects.filter(pk=second.pk).update(status="500")
    reasons = {str(first.pk): reason.pk, str(second.pk): reason.pk}
    body = cancel(
        member_client, order, {"cancel_items": [first.pk, second.pk], "reasons": reasons, "is_cargo_refund": True}
    ).json()
    kinds = [(plan["cancellation_type"], plan["status"], plan["refund_amount"]) for plan in body["cancellation_plans"]]
    assert kinds == [("cancel", "completed", "115.00"), ("refund", "waiting", "50.00")]


def test_channel_variant_and_scoping(member_client, order, reason, other_channel):
    first = items_of(order)[0]
    body = {"cancel_items": [first.pk], "reasons": {str(first.pk): reason.pk}}
    assert (
        member_client.post(
            f"/api/v1/channel/{other_channel.pk}/orders/{order.pk}/cancel/", body, format="json"
        ).status_code
        == 404
    )
    foreign = OrderItemFactory(order=OrderFactory(channel=other_channel))
    assert (
        cancel(
            member_client, foreign.order, {"cancel_items": [foreign.pk], "reasons": {str(foreign.pk): reason.pk}}
        ).status_code
        == 404
    )
    response = member_client.post(f"/api/v1/channel/{order.channel_id}/orders/{order.pk}/cancel/", body, format="json")
    assert response.status_code == 200
    assert OrderItem.objects.get(pk=first.pk).status == "100"


def test_cancel_needs_change_order(readonly_member_client, order, reason):
    first = items_of(order)[0]
    before = state(order)
    response = cancel(
        readonly_member_client, order, {"cancel_items": [first.pk], "reasons": {str(first.pk): reason.pk}}
    )
    assert response.status_code == 403
    assert state(order) == before


# --- bulk status update -------------------------------------------------------------------------


def test_bulk_status_update_applies_all(member_client, order):
    first, second, third = items_of(order)
    response = member_client.patch(
        "/api/i1/order_items/bulk_status_update/",
        {
            "orderitem_set": [
                {"id": first.pk, "status": "500", "tracking_number": "T1", "shipping_company": "aras"},
                {"id": second.pk, "status": "500", "invoice_number": "INV-2", "invoice_date": "2025-01-02T10:00:00Z"},
                {"id": third.pk, "status": "450", "e_archive_url": "https://e.example.com/3"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [row["status"] for row in response.json()] == ["500", "500", "450"]
    assert state(order)[0] == [("500", None), ("500", None), ("450", None)]
    assert Order.objects.get(pk=order.pk).status == "450"


def test_bulk_status_update_rolls_back_entirely_when_one_entry_is_invalid(member_client, order):
    first, second, third = items_of(order)
    before = state(order)
    events_before = OrderEvent.objects.count()
    response = member_client.patch(
        "/api/i1/order_items/bulk_status_update/",
        {
            "orderitem_set": [
                {"id": first.pk, "status": "500"},
                {"id": second.pk, "status": "200"},
                {"id": third.pk, "status": "100"},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "orderitem_set": [
            {},
            {
                "status": [
                    "Cannot move from 400 (approved) to 200 (waiting); allowed: 50, 100, 450, 500, 510, 520, 540, 550."
                ]
            },
            {},
        ]
    }
    assert state(order) == before
    assert OrderEvent.objects.count() == events_before


def test_bulk_status_update_shape_errors_are_indexed(member_client, order):
    first = items_of(order)[0]
    response = member_client.patch(
        "/api/i1/order_items/bulk_status_update/",
        {"orderitem_set": [{"id": first.pk}, {"status": "500"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"orderitem_set": [{}, {"id": ["This field is required."]}]}
    empty = member_client.patch("/api/i1/order_items/bulk_status_update/", {"orderitem_set": []}, format="json")
    assert empty.status_code == 400


def test_bulk_status_update_cannot_touch_foreign_items(member_client, order, other_channel):
    foreign = OrderItemFactory(order=OrderFactory(channel=other_channel))
    response = member_client.patch(
        "/api/i1/order_items/bulk_status_update/",
        {"orderitem_set": [{"id": foreign.pk, "status": "500"}]},
        format="json",
    )
    assert response.json() == {"orderitem_set": [{"id": ["Not found."]}]}
    assert OrderItem.objects.get(pk=foreign.pk).status == "400"


# --- create_mapping -----------------------------------------------------------------------------


def test_create_mapping_records_the_code_and_releases_stock_once(member_client, order):
    first = items_of(order)[0]
    url = f"/api/i1/order_items/{first.pk}/create_mapping/"
    response = member_client.post(url, {"code": "ERP-1", "update_stock": True}, format="json")
    assert response.status_code == 201
    mapping = IntegrationMapping.objects.get()
    assert response.json() == {
        "pk": mapping.pk,
        "content_type": ContentType.objects.get_for_model(OrderItem).pk,
        "object_id": first.pk,
        "integration_type": "external_company",
        "code": "ERP-1",
    }
    reservation = StockReservation.objects.get(order_item=first)
    assert reservation.released_at is not None and reservation.release_reason == "acknowledged"
    again = member_client.post(url, {"code": "ERP-1", "update_stock": True}, format="json")
    assert again.status_code == 200 and again.json()["pk"] == mapping.pk
    assert StockReservation.objects.get(order_item=first).released_at == reservation.released_at
    assert OrderEvent.objects.filter(item=first, event_type=EventType.RESERVATION_RELEASED).count() == 1
    assert OrderEvent.objects.filter(item=first, event_type=EventType.MAPPING_CREATED).count() == 1


def test_create_mapping_without_update_stock_keeps_the_reservation(member_client, order):
    first = items_of(order)[0]
    member_client.post(f"/api/i1/order_items/{first.pk}/create_mapping/", {"code": "ERP-1"}, format="json")
    assert StockReservation.objects.get(order_item=first).released_at is None


def test_create_mapping_with_a_new_code_replaces_it_and_a_taken_code_is_400(member_client, order):
    first, second, _ = items_of(order)
    member_client.post(f"/api/i1/order_items/{first.pk}/create_mapping/", {"code": "ERP-1"}, format="json")
    response = member_client.post(f"/api/i1/order_items/{first.pk}/create_mapping/", {"code": "ERP-1b"}, format="json")
    assert response.status_code == 200 and response.json()["code"] == "ERP-1b"
    taken = member_client.post(f"/api/i1/order_items/{second.pk}/create_mapping/", {"code": "ERP-1b"}, format="json")
    assert taken.status_code == 400
    assert taken.json() == {"code": [f"This code is already mapped to orderitem {first.pk}."]}
    assert list(IntegrationMapping.objects.values_list("object_id", "code")) == [(first.pk, "ERP-1b")]


def test_create_mapping_on_a_foreign_item_is_404(member_client, other_channel):
    foreign = OrderItemFactory(order=OrderFactory(channel=other_channel))
    response = member_client.post(f"/api/i1/order_items/{foreign.pk}/create_mapping/", {"code": "X"}, format="json")
    assert response.status_code == 404
    assert not IntegrationMapping.objects.exists()
