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
