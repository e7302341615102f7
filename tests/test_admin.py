"""Every model has an admin whose changelist answers 200 for a staff user."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import OrderItemFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_every_project_model_is_registered():
    from django.apps import apps

    project_models = {
        model
        for label in ("omnitron", "channels", "catalog", "orders")
        for model in apps.get_app_config(label).get_models()
    }
    assert project_models <= set(admin.site._registry)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_answers_200(admin_client, model):
    OrderItemFactory()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "ORD000001"}).status_code == 200


def test_order_change_page_shows_items(admin_client):
    item = OrderItemFactory()
    response = admin_client.get(reverse("admin:orders_order_change", args=[item.order_id]))
    assert response.status_code == 200
    assert item.product.sku in response.content.decode()


def test_order_search_finds_by_number_and_customer_email(admin_client):
    item = OrderItemFactory()
    OrderItemFactory()
    url = reverse("admin:orders_order_changelist")
    by_number = admin_client.get(url, {"q": item.order.number})
    by_email = admin_client.get(url, {"q": item.order.customer.email})
    assert list(by_number.context["cl"].result_list) == [item.order]
    assert list(by_email.context["cl"].result_list) == [item.order]


def test_item_search_finds_by_sku(admin_client):
    item = OrderItemFactory()
    OrderItemFactory()
    response = admin_client.get(reverse("admin:orders_orderitem_changelist"), {"q": item.product.sku})
    assert list(response.context["cl"].result_list) == [item]


def test_item_status_change_in_the_admin_goes_through_the_service(admin_client, staff_user):
    from orders.models import EventType, OrderEvent

    item = OrderItemFactory(status="400")
    url = reverse("admin:orders_orderitem_change", args=[item.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: (form.initial.get(name) or "") for name in form.fields}
    data.update({"status": "500", "tracking_number": "TRK-ADMIN"})
    response = admin_client.post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    item.order.refresh_from_db()
    assert (item.status, item.tracking_number, item.order.status) == ("500", "TRK-ADMIN", "500")
    assert OrderEvent.objects.filter(item=item, event_type=EventType.STATUS_CHANGED, actor=staff_user).count() == 1


def test_item_status_choices_are_the_current_status_and_its_allowed_moves(admin_client):
    approved, cancelled = OrderItemFactory(status="400"), OrderItemFactory(status="100")
    choices = {
        item.status: admin_client.get(reverse("admin:orders_orderitem_change", args=[item.pk]))
        .context["adminform"]
        .form.fields["status"]
        .choices
        for item in (approved, cancelled)
    }
    assert choices["400"] == [
        ("400", "Approved (400)"),
        ("50", "Cancellation Waiting (50)"),
        ("100", "Cancelled (100)"),
        ("450", "Preparing (450)"),
        ("500", "Shipped (500)"),
        ("510", "Shipped and Informed (510)"),
        ("520", "Ready for Pickup (520)"),
        ("540", "Attempted to Delivery (540)"),
        ("550", "Delivered (550)"),
    ]
    assert choices["100"] == [("100", "Cancelled (100)")]


def test_a_rejected_cancellation_request_offers_the_status_before_it(admin_client):
    item = OrderItemFactory(status="50", status_before_cancellation="450")
    form = admin_client.get(reverse("admin:orders_orderitem_change", args=[item.pk])).context["adminform"].form
    assert form.fields["status"].choices == [
        ("50", "Cancellation Waiting (50)"),
        ("100", "Cancelled (100)"),
        ("450", "Preparing (450)"),
    ]


def test_illegal_item_status_change_in_the_admin_is_refused(admin_client):
    item = OrderItemFactory(status="550")
    url = reverse("admin:orders_orderitem_change", args=[item.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: (form.initial.get(name) or "") for name in form.fields}
    data["status"] = "200"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "Select a valid choice. 200 is not one of the available choices."
    ]
    item.refresh_from_db()
    assert item.status == "550"


def test_a_status_move_made_stale_by_a_concurrent_change_is_refused():
    from orders.admin import OrderItemAdminForm
    from orders.models import OrderItem

    item = OrderItemFactory(status="400")
    shown = OrderItem.objects.get(pk=item.pk)
    OrderItem.objects.filter(pk=item.pk).update(status="550")
    form = OrderItemAdminForm(data={"status": "500"}, instance=shown)
    assert not form.is_valid()
    assert form.errors["status"] == ["Cannot move from 550 (delivered) to 500 (shipped); allowed: 544, 600."]
    assert OrderItem.objects.get(pk=item.pk).status == "550"


def test_admin_action_marks_orders_sent_through_the_service(admin_client, staff_user):
    from orders.models import EventType, Order, OrderEvent

    first, second = OrderItemFactory(), OrderItemFactory()
    response = admin_client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "mark_sent_to_erp", "_selected_action": [first.order_id, second.order_id]},
    )
    assert response.status_code == 302
    assert list(Order.objects.order_by("id").values_list("is_send", flat=True)) == [True, True]
    assert OrderEvent.objects.filter(event_type=EventType.SENT_TO_ERP, actor=staff_user).count() == 2


def test_admin_cancel_action_asks_for_a_reason_then_cancels(admin_client):
    from catalog.models import StockReservation
    from orders.models import CancellationPlan, Order
    from tests.factories import CancellationReasonFactory, ProductStockFactory

    reason = CancellationReasonFactory()
    stock = ProductStockFactory()
    item = OrderItemFactory(
        status="400", product=stock.product, reservation=StockReservation.objects.create(stock=stock)
    )
    url = reverse("admin:orders_order_changelist")
    confirm = admin_client.post(url, {"action": "cancel_orders", "_selected_action": [item.order_id]})
    assert confirm.status_code == 200
    assert "Cancel these orders" in confirm.content.decode()
    assert Order.objects.get(pk=item.order_id).status == "400"
    done = admin_client.post(
        url, {"action": "cancel_orders", "_selected_action": [item.order_id], "apply": "1", "reason": reason.pk}
    )
    assert done.status_code == 302
    assert Order.objects.get(pk=item.order_id).status == "100"
    assert StockReservation.objects.get(pk=item.reservation_id).released_at is not None
    assert CancellationPlan.objects.get().items.get().reason == reason


def test_admin_is_branded_and_view_site_leads_to_the_landing_page(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert '<a href="/admin/">Omnitron order service admin</a>' in html
    assert "<title>Orders, channels and catalog | Omnitron admin</title>" in html
    assert '<a href="/">View site</a>' in html
    assert "Django administration" not in html


def test_breadcrumbs_name_the_app_not_the_model_twice(admin_client):
    item = OrderItemFactory()
    html = admin_client.get(reverse("admin:orders_order_change", args=[item.order_id])).content.decode()
    breadcrumbs = html.partition('<div class="breadcrumbs">')[2].partition("</div>")[0]
    assert [part.split(">")[-1].strip() for part in breadcrumbs.split("</a>")] == [
        "Home",
        "Order management",
        "Orders",
        f"&rsaquo; {item.order.number}",
    ]


def test_item_list_links_each_item_to_its_order(admin_client):
    item = OrderItemFactory()
    html = admin_client.get(reverse("admin:orders_orderitem_changelist")).content.decode()
    assert f'<a href="/admin/orders/order/{item.order_id}/change/">{item.order.number}</a>' in html
    assert '<td class="field-item_status">Approved (400)</td>' in html


def test_every_model_reads_as_words_not_bare_ids():
    from catalog.models import ProductPrice, ProductStock, StockReservation
    from channels.models import IntegrationMapping, IntegrationType
    from channels.services import integration_mapping_set
    from orders.models import (
        CancellationPlan,
        CancellationPlanItem,
        EventType,
        IdempotencyKey,
        OrderEvent,
        PaymentTransaction,
    )
    from tests.factories import CancellationReasonFactory, UserFactory

    item = OrderItemFactory(status="500")
    order, customer = item.order, item.order.customer
    event = OrderEvent.objects.create(order=order, event_type=EventType.STATUS_CHANGED, field="status")
    plan = CancellationPlan.objects.create(order=order, cancellation_type="refund")
    plan_item = CancellationPlanItem.objects.create(plan=plan, order_item=item, reason=CancellationReasonFactory())
    payment = PaymentTransaction.objects.create(order=order, amount="100.00", currency="try")
    key = IdempotencyKey.objects.create(
        user=UserFactory(), channel=order.channel, key="k-1", request_hash="h", expires_at=order.date_placed
    )
    price = ProductPrice.objects.get(product=item.product)
    stock = ProductStock.objects.create(product=item.product, stock_list=order.channel.catalog.stock_list, stock=7)
    reservation = StockReservation.objects.create(stock=stock)
    integration_mapping_set(obj=item, integration_type=IntegrationType.EXTERNAL_COMPANY, code="ERP-9")
    mapping = IntegrationMapping.objects.get()

    assert [str(obj) for obj in (item, event, plan, plan_item, payment, key)] == [
        f"Item {item.pk} (Shipped)",
        f"Status changed (event {event.pk} of order {order.pk})",
        f"Refund plan {plan.pk} (Waiting (refund requested))",
        f"Item {item.pk} in cancellation plan {plan.pk}",
        f"Purchase of 100.00 TRY (order {order.pk})",
        "k-1 (In flight)",
    ]
    assert str(customer) == f"Ayşe Yılmaz <{customer.email}>"
    assert str(order.shipping_address) == f"Home (address {order.shipping_address_id} of customer {customer.pk})"
    assert (
        str(price) == f"Price 100.00 of product {item.product_id} in price list {order.channel.catalog.price_list_id}"
    )
    assert str(stock) == f"Stock 7 of product {item.product_id} in stock list {order.channel.catalog.stock_list_id}"
    assert str(reservation) == f"Reservation {reservation.pk}: 1 of stock row {stock.pk} (active)"
    assert str(mapping) == f"External company (ERP) code ERP-9 for order item {item.pk}"


def test_a_customer_without_a_name_reads_as_the_email():
    from tests.factories import CustomerFactory

    assert str(CustomerFactory(first_name="", last_name="", email="x@example.com")) == "x@example.com"
