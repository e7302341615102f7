"""Every model has an admin whose changelist answers 200 for a staff user."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import OrderItemFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def admin_client_logged_in(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


def test_every_project_model_is_registered():
    from django.apps import apps

    project_models = {
        model
        for label in ("omnitron", "channels", "catalog", "orders")
        for model in apps.get_app_config(label).get_models()
    }
    assert project_models <= set(admin.site._registry)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_answers_200(admin_client_logged_in, model):
    OrderItemFactory()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client_logged_in.get(url).status_code == 200
    assert admin_client_logged_in.get(url, {"q": "ORD000001"}).status_code == 200


def test_order_change_page_shows_items(admin_client_logged_in):
    item = OrderItemFactory()
    response = admin_client_logged_in.get(reverse("admin:orders_order_change", args=[item.order_id]))
    assert response.status_code == 200
    assert item.product.sku in response.content.decode()


def test_order_search_finds_by_number_and_customer_email(admin_client_logged_in):
    item = OrderItemFactory()
    OrderItemFactory()
    url = reverse("admin:orders_order_changelist")
    by_number = admin_client_logged_in.get(url, {"q": item.order.number})
    by_email = admin_client_logged_in.get(url, {"q": item.order.customer.email})
    assert list(by_number.context["cl"].result_list) == [item.order]
    assert list(by_email.context["cl"].result_list) == [item.order]


def test_item_search_finds_by_sku(admin_client_logged_in):
    item = OrderItemFactory()
    OrderItemFactory()
    response = admin_client_logged_in.get(reverse("admin:orders_orderitem_changelist"), {"q": item.product.sku})
    assert list(response.context["cl"].result_list) == [item]


def test_item_status_change_in_the_admin_goes_through_the_service(admin_client_logged_in, staff_user):
    from orders.models import EventType, OrderEvent

    item = OrderItemFactory(status="400")
    url = reverse("admin:orders_orderitem_change", args=[item.pk])
    form = admin_client_logged_in.get(url).context["adminform"].form
    data = {name: (form.initial.get(name) or "") for name in form.fields}
    data.update({"status": "500", "tracking_number": "TRK-ADMIN"})
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    item.order.refresh_from_db()
    assert (item.status, item.tracking_number, item.order.status) == ("500", "TRK-ADMIN", "500")
    assert OrderEvent.objects.filter(item=item, event_type=EventType.STATUS_CHANGED, actor=staff_user).count() == 1


def test_illegal_item_status_change_in_the_admin_is_refused(admin_client_logged_in):
    item = OrderItemFactory(status="550")
    url = reverse("admin:orders_orderitem_change", args=[item.pk])
    form = admin_client_logged_in.get(url).context["adminform"].form
    data = {name: (form.initial.get(name) or "") for name in form.fields}
    data["status"] = "200"
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 200
    assert "Cannot move from 550 (delivered) to 200 (waiting)" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "550"


def test_admin_action_marks_orders_sent_through_the_service(admin_client_logged_in, staff_user):
    from orders.models import EventType, Order, OrderEvent

    first, second = OrderItemFactory(), OrderItemFactory()
    response = admin_client_logged_in.post(
        reverse("admin:orders_order_changelist"),
        {"action": "mark_sent_to_erp", "_selected_action": [first.order_id, second.order_id]},
    )
    assert response.status_code == 302
    assert list(Order.objects.order_by("id").values_list("is_send", flat=True)) == [True, True]
    assert OrderEvent.objects.filter(event_type=EventType.SENT_TO_ERP, actor=staff_user).count() == 2


def test_admin_cancel_action_asks_for_a_reason_then_cancels(admin_client_logged_in):
    from catalog.models import StockReservation
    from orders.models import CancellationPlan, Order
    from tests.factories import CancellationReasonFactory, ProductStockFactory

    reason = CancellationReasonFactory()
    stock = ProductStockFactory()
    item = OrderItemFactory(
        status="400", product=stock.product, reservation=StockReservation.objects.create(stock=stock)
    )
    url = reverse("admin:orders_order_changelist")
    confirm = admin_client_logged_in.post(url, {"action": "cancel_orders", "_selected_action": [item.order_id]})
    assert confirm.status_code == 200
    assert "Cancel these orders" in confirm.content.decode()
    assert Order.objects.get(pk=item.order_id).status == "400"
    done = admin_client_logged_in.post(
        url, {"action": "cancel_orders", "_selected_action": [item.order_id], "apply": "1", "reason": reason.pk}
    )
    assert done.status_code == 302
    assert Order.objects.get(pk=item.order_id).status == "100"
    assert StockReservation.objects.get(pk=item.reservation_id).released_at is not None
    assert CancellationPlan.objects.get().items.get().reason == reason
