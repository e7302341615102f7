"""The admin order page: what it shows first, its timeline, and its object buttons."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import StockReservation
from orders.admin import OrderAdmin, event_value
from orders.models import (
    CancellationPlan,
    CancellationType,
    CancelStatus,
    EventType,
    Order,
    OrderEvent,
)
from orders.services.erp import order_mark_sent
from orders.services.items import order_item_update
from tests.factories import (
    CancellationReasonFactory,
    OrderFactory,
    OrderItemFactory,
    ProductStockFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def change_url(order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


def action_url(order, tool: str) -> str:
    return reverse("admin:orders_order_actions", kwargs={"pk": order.pk, "tool": tool})


def reserved_item(order, status="400"):
    stock = ProductStockFactory()
    return OrderItemFactory(
        order=order, status=status, product=stock.product, reservation=StockReservation.objects.create(stock=stock)
    )


def test_the_page_leads_with_the_summary_then_items_then_timeline_then_folded_details(admin_client):
    item = OrderItemFactory(status="400")
    html = admin_client.get(change_url(item.order)).content.decode()
    positions = [
        html.index("Approved (400)"),
        html.index(f"{item.order.amount} TRY"),
        html.index('id="orderitem_set-heading"'),
        html.index('id="events-heading"'),
        html.index("Addresses and delivery"),
    ]
    assert positions == sorted(positions)
    # The details are folded (<details>); the summary and the inlines are not.
    folded = html[html.index("Addresses and delivery") - 300 : html.index("Addresses and delivery")]
    assert "<details>" in folded
    assert "<details>" not in html[: html.index('id="cancellation_plans-heading"') - 300]


def test_every_order_field_is_on_the_page_once():
    shown = [name for _, options in OrderAdmin.fieldsets for name in options["fields"]]
    model_fields = {field.name for field in Order._meta.concrete_fields if field.name != "id"}
    computed = {"status_name", "total", "sent_to_erp"}
    assert len(shown) == len(set(shown))
    assert set(shown) == (model_fields - {"status", "is_send"}) | computed


def test_the_timeline_shows_status_names_and_yes_no(admin_client, staff_user):
    item = OrderItemFactory(status="400")
    order_item_update(item_id=item.pk, data={"status": "500"}, actor=staff_user, channel_ids=None)
    order_mark_sent(order=item.order, is_send=True, actor=staff_user)
    html = admin_client.get(change_url(item.order)).content.decode()
    timeline = html[html.index('id="events-heading"') : html.index('id="cancellation_plans-heading"')]
    assert timeline.count("status: Approved (400) → Shipped (500)") == 2  # the item, then the order
    assert "is_send: no → yes" in timeline
    assert f'<a href="/admin/orders/orderitem/{item.pk}/change/">Item {item.pk}</a>' in timeline
    assert '"400"' not in timeline and "False" not in timeline


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("status", "550", "Delivered (550)"),
        ("status_before_cancellation", "450", "Preparing (450)"),
        ("cancel_status", "waiting", "Waiting"),
        ("is_send", True, "yes"),
        ("is_send", False, "no"),
        ("tracking_number", None, "-"),
        ("code", "ERP-1", "ERP-1"),
        (None, {"number": "W-1", "status": "400", "items": 3}, "number: W-1, status: Approved (400), items: 3"),
        ("stock", [1, 2], "[1, 2]"),
    ],
)
def test_event_values_read_as_words(field, value, text):
    assert event_value(field, value) == text


def test_the_items_link_to_their_pages_with_status_names(admin_client):
    item = OrderItemFactory(status="500")
    html = admin_client.get(change_url(item.order)).content.decode()
    items = html[html.index('id="orderitem_set-heading"') : html.index('id="events-heading"')]
    assert f'<a href="/admin/orders/orderitem/{item.pk}/change/">Item {item.pk}</a>' in items
    assert "<p>Shipped (500)</p>" in items
    assert f'<p><a href="/admin/catalog/product/{item.product_id}/change/">{item.product}</a></p>' in items


def test_the_page_query_count_does_not_grow_with_items_and_events(admin_client, staff_user):
    def queries_for(items: int) -> int:
        order = OrderFactory()
        for _ in range(items):
            item = OrderItemFactory(order=order)
            order_item_update(item_id=item.pk, data={"tracking_number": "T"}, actor=staff_user, channel_ids=None)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(change_url(order)).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(5)


def test_the_changelist_query_count_does_not_grow_with_rows(admin_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse("admin:orders_order_changelist")).status_code == 200
        return len(captured)

    OrderFactory()
    one = queries()
    for _ in range(4):
        OrderFactory()
    assert queries() == one


def test_mark_sent_button_marks_the_order_sent_through_the_service(admin_client, staff_user):
    order = OrderItemFactory().order
    response = admin_client.post(action_url(order, "mark_sent"))
    assert response.status_code == 302
    assert response["Location"] == change_url(order)
    order.refresh_from_db()
    assert order.is_send is True
    event = OrderEvent.objects.get(order=order, event_type=EventType.SENT_TO_ERP)
    assert (event.old_value, event.new_value, event.actor) == (False, True, staff_user)


def test_mark_sent_button_refuses_get_and_changes_nothing(admin_client):
    order = OrderItemFactory().order
    assert admin_client.get(action_url(order, "mark_sent")).status_code == 405
    order.refresh_from_db()
    assert order.is_send is False
    assert not OrderEvent.objects.filter(event_type=EventType.SENT_TO_ERP).exists()


def test_the_buttons_show_what_applies(admin_client):
    order = OrderItemFactory().order
    html = admin_client.get(change_url(order)).content.decode()
    assert f'action="{action_url(order, "mark_sent")}"' in html
    assert f'href="{action_url(order, "cancel")}"' in html
    order_mark_sent(order=order, is_send=True, actor=None)
    html = admin_client.get(change_url(order)).content.decode()
    assert action_url(order, "mark_sent") not in html
    assert f'href="{action_url(order, "cancel")}"' in html


@pytest.fixture
def viewer_client():
    """Staff who may only view orders."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_order", "view_orderitem"]))
    client = Client()
    client.force_login(user)
    return client


def test_a_viewer_gets_no_buttons_and_cannot_use_them(viewer_client):
    item = reserved_item(OrderFactory())
    reason = CancellationReasonFactory()
    html = viewer_client.get(change_url(item.order)).content.decode()
    assert "/actions/" not in html
    assert viewer_client.post(action_url(item.order, "mark_sent")).status_code == 403
    cancel = viewer_client.post(action_url(item.order, "cancel"), {"items": [item.pk], "reason": reason.pk})
    assert cancel.status_code == 403
    item.refresh_from_db()
    item.order.refresh_from_db()
    assert (item.order.is_send, item.status, CancellationPlan.objects.count(), OrderEvent.objects.count()) == (
        False,
        "400",
        0,
        0,
    )


def test_cancel_button_offers_only_items_that_can_still_be_cancelled(admin_client):
    order = OrderFactory()
    open_item, shipped = reserved_item(order), reserved_item(order, status="500")
    OrderItemFactory(order=order, status="100")  # cancelled: holds no reservation
    OrderItemFactory(order=order, status="500", cancel_status=CancelStatus.WAITING)
    response = admin_client.get(action_url(order, "cancel"))
    assert response.status_code == 200
    choices = list(response.context["form"].fields["items"].choices)
    assert [(choice.value, label) for choice, label in choices] == [
        (open_item.pk, f"Item {open_item.pk}: {open_item.product.sku} {open_item.product.name}, Approved (400)"),
        (
            shipped.pk,
            f"Item {shipped.pk}: {shipped.product.sku} {shipped.product.name}, Shipped (500) (refund request)",
        ),
    ]


def test_cancel_button_cancels_one_item_with_its_reason(admin_client, staff_user):
    order = OrderFactory()
    first, second = reserved_item(order), reserved_item(order)
    reason = CancellationReasonFactory(name="Customer changed their mind")
    response = admin_client.post(action_url(order, "cancel"), {"items": [first.pk], "reason": reason.pk})
    assert response.status_code == 302
    assert response["Location"] == change_url(order)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.cancel_status, second.status, second.cancel_status) == (
        "100",
        CancelStatus.COMPLETED,
        "400",
        None,
    )
    assert StockReservation.objects.get(pk=first.reservation_id).released_at is not None
    assert StockReservation.objects.get(pk=second.reservation_id).released_at is None
    plan = CancellationPlan.objects.get(order=order)
    assert (plan.cancellation_type, [(i.order_item_id, i.reason) for i in plan.items.all()]) == (
        CancellationType.CANCEL,
        [(first.pk, reason)],
    )
    assert OrderEvent.objects.filter(order=order, event_type=EventType.CANCELED, actor=staff_user).count() == 1
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == [f"Order {order.number}: cancel of items {first.pk}."]


def test_cancel_button_turns_a_shipped_item_into_a_refund_request(admin_client):
    order = OrderFactory(status="500")
    item = reserved_item(order, status="500")
    reason = CancellationReasonFactory()
    admin_client.post(action_url(order, "cancel"), {"items": [item.pk], "reason": reason.pk})
    item.refresh_from_db()
    assert (item.status, item.cancel_status) == ("500", CancelStatus.WAITING)
    assert CancellationPlan.objects.get(order=order).cancellation_type == CancellationType.REFUND


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"items": []}, {"items": ["This field is required."], "reason": ["This field is required."]}),
        ({"reason": "REASON"}, {"items": ["This field is required."]}),
        (
            {"items": ["OTHER"], "reason": "REASON"},
            {"items": ["Select a valid choice. OTHER is not one of the available choices."]},
        ),
    ],
    ids=["nothing", "no-items", "item-of-another-order"],
)
def test_cancel_button_refuses_an_incomplete_form_and_changes_nothing(admin_client, data, errors):
    item = reserved_item(OrderFactory())
    other = reserved_item(OrderFactory())
    reason = CancellationReasonFactory()
    substitute = {"REASON": reason.pk, "OTHER": other.pk}
    posted = {key: substitute.get(value, value) if not isinstance(value, list) else [substitute.get(v, v) for v in value]
              for key, value in data.items()}  # fmt: skip
    response = admin_client.post(action_url(item.order, "cancel"), posted)
    assert response.status_code == 200
    expected = {
        key: [message.replace("OTHER", str(other.pk)) for message in messages] for key, messages in errors.items()
    }
    assert response.context["form"].errors == expected
    item.refresh_from_db()
    other.refresh_from_db()
    assert (item.status, other.status, CancellationPlan.objects.count(), OrderEvent.objects.count()) == (
        "400",
        "400",
        0,
        0,
    )


def test_cancel_page_says_so_when_nothing_can_be_cancelled(admin_client):
    item = OrderItemFactory(status="100")
    html = admin_client.get(action_url(item.order, "cancel")).content.decode()
    assert f"No item of order {item.order.number} can be cancelled or refunded any more." in html
    assert 'id="cancel-items-form"' not in html


@pytest.mark.parametrize("path", ["abc/change/", "abc/actions/mark_sent/", "999999/actions/cancel/"])
def test_an_order_url_with_a_bad_or_unknown_id_is_not_an_error(admin_client, path):
    response = (
        admin_client.post(f"/admin/orders/order/{path}")
        if "mark_sent" in path
        else admin_client.get(f"/admin/orders/order/{path}")
    )
    # The change page redirects with "doesn't exist"; the buttons answer 404.
    assert response.status_code == (302 if path.endswith("change/") else 404)


def test_the_changelist_filters_by_sent_to_erp(admin_client):
    sent, waiting = OrderFactory(), OrderFactory()
    order_mark_sent(order=sent, is_send=True, actor=None)
    response = admin_client.get(reverse("admin:orders_order_changelist"), {"is_send__exact": "1"})
    assert list(response.context["cl"].result_list) == [sent]
    assert [spec.title for spec in response.context["cl"].filter_specs] == [
        "status",
        "sent to ERP",
        "channel",
        "cancel status",
        "date placed",
    ]
    assert waiting.pk not in [order.pk for order in response.context["cl"].result_list]
