"""PATCH /api/v1/channel/{id}/order_items/{id}/: transitions, merges, immutables, events, stock."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from catalog.models import StockReservation
from omnitron.errors import ServiceValidationError
from orders.models import EventType, OrderEvent, OrderItem
from orders.services.items import order_items_bulk_update
from tests.factories import OrderFactory, OrderItemFactory, ProductStockFactory

pytestmark = pytest.mark.django_db
SEED = json.loads((Path(__file__).resolve().parent.parent / "seeds" / "seed_000_order_items.json").read_text())


def url(item) -> str:
    return f"/api/v1/channel/{item.channel_id}/order_items/{item.pk}/"


def snapshot(item) -> dict:
    fresh = OrderItem.objects.get(pk=item.pk)
    return {f.attname: getattr(fresh, f.attname) for f in OrderItem._meta.concrete_fields}


@pytest.fixture
def item(channel):
    order = OrderFactory(channel=channel, status="400")
    stock = ProductStockFactory(stock_list=channel.catalog.stock_list, stock=5)
    reservation = StockReservation.objects.create(stock=stock)
    return OrderItemFactory(
        order=order,
        product=stock.product,
        status="400",
        reservation=reservation,
        extra_field={"keep": 1, "change": "old"},
        attributes={"a": 1, "b": 2},
    )


def test_patch_applies_writable_fields_and_answers_the_flat_item(member_client, item):
    before = item.modified_date
    response = member_client.patch(
        url(item),
        {
            "status": "shipped",
            "shipping_company": "aras",
            "tracking_number": "TRK1",
            "invoice_number": "INV-1",
            "invoice_date": "2025-01-02T03:04:05Z",
            "e_archive_url": "https://e.example.com/1",
            "datasource": 7,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["shipping_company"], body["tracking_number"]) == ("500", "aras", "TRK1")
    assert body["invoice_date"] == "2025-01-02T03:04:05Z" and body["datasource"] == 7
    item.refresh_from_db()
    assert (item.status, item.invoice_number, item.datasource) == ("500", "INV-1", 7)
    assert item.modified_date > before


def test_each_change_writes_an_event_with_old_and_new_values(member_client, item, member):
    member_client.patch(url(item), {"status": "450", "tracking_number": "T-9"}, format="json")
    events = list(
        OrderEvent.objects.filter(item=item)
        .order_by("id")
        .values("event_type", "field", "old_value", "new_value", "actor")
    )
    assert events == [
        {
            "event_type": EventType.STATUS_CHANGED,
            "field": "status",
            "old_value": "400",
            "new_value": "450",
            "actor": member.pk,
        },
        {
            "event_type": EventType.FIELD_CHANGED,
            "field": "tracking_number",
            "old_value": None,
            "new_value": "T-9",
            "actor": member.pk,
        },
    ]


def test_extra_field_is_merged_and_attributes_replaced(member_client, item):
    response = member_client.patch(
        url(item), {"extra_field": {"change": "new", "add": True}, "attributes": {"c": 3}}, format="json"
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.extra_field == {"keep": 1, "change": "new", "add": True}
    assert item.attributes == {"c": 3}


def test_illegal_move_is_400_with_allowed_moves_and_changes_nothing(member_client, item):
    OrderItem.objects.filter(pk=item.pk).update(status="550")
    before = snapshot(item)
    response = member_client.patch(url(item), {"status": "waiting", "tracking_number": "T"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"status": ["Cannot move from 550 (delivered) to 200 (waiting); allowed: 544, 600."]}
    assert snapshot(item) == before
    assert not OrderEvent.objects.filter(item=item).exists()


def test_unknown_status_is_400(member_client, item):
    response = member_client.patch(url(item), {"status": "teleported"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("order", 999),
        ("product", 999),
        ("price", "1.00"),
        ("price_currency", "eur"),
        ("tax_rate", "8"),
        ("price_list", 999),
        ("stock_list", None),
        ("is_tradable", False),
        ("pk", 999),
    ],
)
def test_changing_an_immutable_field_is_400_and_changes_nothing(member_client, item, field, value):
    before = snapshot(item)
    response = member_client.patch(url(item), {field: value, "tracking_number": "SHOULD-NOT-LAND"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert "cannot be changed" in response.json()[field][0]
    assert snapshot(item) == before


def test_sending_the_whole_seed_shaped_object_with_equal_values_is_accepted(member_client, item):
    current = member_client.get(url(item)).json()
    body = {key: current[key] for key in SEED["patch_request"]}
    body.update({"status": "preparing", "price": 100, "tax_rate": 20, "modified_date": "2025-05-22T10:22:41.833Z"})
    response = member_client.patch(url(item), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "450"


def test_unknown_field_is_400_when_strict(member_client, item):
    before = snapshot(item)
    response = member_client.patch(
        url(item), {"colour": "red", "tracking_number": "T"}, format="json", HTTP_PREFER="handling=strict"
    )
    assert response.status_code == 400
    assert response.json() == {"colour": ["Unknown field."]}
    assert response["Preference-Applied"] == "handling=strict"
    assert snapshot(item) == before


def test_unknown_field_is_ignored_and_named(member_client, item):
    response = member_client.patch(url(item), {"colour": "red", "tracking_number": "T"}, format="json")
    assert response.status_code == 200
    assert response["Ignored-Fields"] == "colour"
    assert "Preference-Applied" not in response
    item.refresh_from_db()
    assert item.tracking_number == "T"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"installment_interest_amount": "-1"}, "installment_interest_amount"),
        ({"installment_interest_amount": "1.234"}, "installment_interest_amount"),
        ({"extra_field": None}, "extra_field"),
        ({"extra_field": [1]}, "extra_field"),
        ({"invoice_date": "not a date"}, "invoice_date"),
        ({"shipping_company": "pigeon"}, "shipping_company"),
        ({"tracking_number": "x" * 257}, "tracking_number"),
        ({"datasource": "abc"}, "datasource"),
    ],
)
def test_invalid_values_are_400(member_client, item, body, field):
    before = snapshot(item)
    response = member_client.patch(url(item), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert snapshot(item) == before


def test_same_values_are_a_no_op(member_client, item):
    before = snapshot(item)
    response = member_client.patch(url(item), {"status": "400", "extra_field": {"keep": 1}}, format="json")
    assert response.status_code == 200
    assert snapshot(item) == before
    assert not OrderEvent.objects.filter(item=item).exists()


def test_order_status_follows_its_items(member_client, channel):
    order = OrderFactory(channel=channel, status="400")
    first = OrderItemFactory(order=order, status="400")
    second = OrderItemFactory(order=order, status="400")
    member_client.patch(url(first), {"status": "500"}, format="json")
    order.refresh_from_db()
    assert order.status == "400"
    member_client.patch(url(second), {"status": "100"}, format="json")
    order.refresh_from_db()
    assert order.status == "500"
    assert OrderEvent.objects.filter(order=order, item=None, field="status").values_list(
        "old_value", "new_value"
    ).get() == ("400", "500")


def test_cancelling_releases_the_reservation_once(member_client, item):
    assert member_client.patch(url(item), {"status": "100"}, format="json").status_code == 200
    reservation = StockReservation.objects.get(pk=item.reservation_id)
    released_at = reservation.released_at
    assert released_at is not None and reservation.release_reason == "canceled"
    assert member_client.patch(url(item), {"status": "canceled"}, format="json").status_code == 200
    reservation.refresh_from_db()
    assert reservation.released_at == released_at
    assert OrderEvent.objects.filter(item=item, event_type=EventType.RESERVATION_RELEASED).count() == 1
    item.order.refresh_from_db()
    assert item.order.status == "100"


def test_cancellation_request_and_rejection_return_to_the_previous_status(member_client, item):
    assert member_client.patch(url(item), {"status": "cancellation_waiting"}, format="json").status_code == 200
    item.refresh_from_db()
    assert (item.status, item.status_before_cancellation) == ("50", "400")
    response = member_client.patch(url(item), {"status": "450"}, format="json")
    assert response.json() == {
        "status": ["Cannot move from 50 (cancellation_waiting) to 450 (preparing); allowed: 100, 400."]
    }
    assert member_client.patch(url(item), {"status": "400"}, format="json").status_code == 200
    item.refresh_from_db()
    assert (item.status, item.status_before_cancellation) == ("400", None)
    assert StockReservation.objects.get(pk=item.reservation_id).released_at is None


def test_write_needs_the_change_permission(readonly_member_client, item):
    before = snapshot(item)
    response = readonly_member_client.patch(url(item), {"tracking_number": "T"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert snapshot(item) == before


def test_put_is_not_allowed(member_client, item):
    assert member_client.put(url(item), {"tracking_number": "T"}, format="json").status_code == 405


def test_bulk_update_is_all_or_nothing(channel, member, item):
    other = OrderItemFactory(order=item.order, status="400")
    before = (snapshot(item), snapshot(other))
    with pytest.raises(ServiceValidationError) as excinfo:
        order_items_bulk_update(
            entries=[
                {"id": item.pk, "status": "500"},
                {"id": other.pk, "status": "200"},
                {"id": 999999, "status": "500"},
            ],
            actor=member,
            channel_ids=[channel.pk],
        )
    assert excinfo.value.as_dict() == {
        "orderitem_set": [
            {},
            {
                "status": [
                    "Cannot move from 400 (approved) to 200 (waiting); allowed: 50, 100, 450, 500, 510, 520, 540, 550."
                ]
            },
            {"id": ["Not found."]},
        ]
    }
    assert (snapshot(item), snapshot(other)) == before


def test_bulk_update_applies_every_entry(channel, member, item):
    other = OrderItemFactory(order=item.order, status="400")
    order_items_bulk_update(
        entries=[{"id": item.pk, "status": "500", "tracking_number": "A"}, {"id": other.pk, "status": "510"}],
        actor=member,
        channel_ids=[channel.pk],
    )
    assert list(OrderItem.objects.filter(order=item.order).order_by("id").values_list("status", flat=True)) == [
        "500",
        "510",
    ]
    item.order.refresh_from_db()
    assert item.order.status == "500"


def test_refund_request_completes_when_the_item_reaches_600(member_client, item):
    from orders.models import CancellationPlan, CancellationPlanItem
    from tests.factories import CancellationReasonFactory

    OrderItem.objects.filter(pk=item.pk).update(status="550", cancel_status="waiting")
    plan = CancellationPlan.objects.create(
        order=item.order, cancellation_type="refund", refund_amount=Decimal("100.00")
    )
    CancellationPlanItem.objects.create(plan=plan, order_item=item, reason=CancellationReasonFactory())
    assert member_client.patch(url(item), {"status": "refunded"}, format="json").status_code == 200
    item.refresh_from_db()
    plan.refresh_from_db()
    assert (item.status, item.cancel_status, plan.status) == ("600", "completed", "completed")
    assert item.order.__class__.objects.get(pk=item.order_id).status == "600"


def test_modified_date_changes_only_on_a_real_change(member_client, item):
    old = timezone.now() - timedelta(days=3)
    OrderItem.objects.filter(pk=item.pk).update(modified_date=old)
    member_client.patch(url(item), {"shipment_code": None}, format="json")
    item.refresh_from_db()
    assert item.modified_date == old
    member_client.patch(url(item), {"shipment_code": "S1"}, format="json")
    item.refresh_from_db()
    assert item.modified_date > old
