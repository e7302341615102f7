"""Admin saves of products, images, prices and stocks go through ``catalog.writes``: a new
version date and an outbox change each."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from catalog.models import Product, ProductImage, ProductStock
from integrations.models import Change
from tests.factories import ProductFactory, ProductImageFactory, ProductStockFactory

pytestmark = pytest.mark.django_db


def kinds(model, pk) -> list[str]:
    content_type = ContentType.objects.get_for_model(model)
    return list(
        Change.objects.filter(content_type=content_type, object_id=pk).order_by("id").values_list("kind", flat=True)
    )


def form_data(client, url) -> dict:
    """The change form's fields with their current values, inline management forms included."""
    context = client.get(url).context
    data = {}
    form = context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is not None:
            data[name] = value
            if field.show_hidden_initial:  # as the browser posts it (fields with a callable default)
                data[f"initial-{name}"] = value
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is not None:
                    data[f"{sub.prefix}-{name}"] = value
                    if sub.fields[name].show_hidden_initial:
                        data[f"initial-{sub.prefix}-{name}"] = value
    return {key: ("on" if value is True else value) for key, value in data.items() if value is not False}


def test_a_stock_changed_in_the_admin_is_a_new_version_with_a_change(admin_client):
    stock = ProductStockFactory(stock=10)
    url = reverse("admin:catalog_productstock_change", args=[stock.pk])
    data = form_data(admin_client, url)
    data["stock"] = 4

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    stored = ProductStock.objects.get(pk=stock.pk)
    assert (stored.stock, stored.modified_date > stock.modified_date) == (4, True)
    assert kinds(ProductStock, stock.pk) == ["changed"]


def test_saving_unchanged_writes_nothing(admin_client):
    stock = ProductStockFactory(stock=10)
    url = reverse("admin:catalog_productstock_change", args=[stock.pk])

    response = admin_client.post(url, form_data(admin_client, url))

    assert response.status_code == 302
    assert ProductStock.objects.get(pk=stock.pk).modified_date == stock.modified_date
    assert kinds(ProductStock, stock.pk) == []


def test_a_products_inline_images_are_written_through_the_catalog_writes(admin_client):
    product = ProductFactory(name="Before")
    kept, removed = ProductImageFactory(product=product, order=1), ProductImageFactory(product=product, order=2)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = form_data(admin_client, url)
    data["name"] = "After"
    data["productimage_set-0-url"] = "https://cdn.example.com/changed.jpg"
    data["productimage_set-1-DELETE"] = "on"
    data["productimage_set-TOTAL_FORMS"] = 3
    data.update({"productimage_set-2-url": "https://cdn.example.com/new.jpg", "productimage_set-2-order": 3})
    data["productimage_set-2-product"] = product.pk

    response = admin_client.post(url, data)

    assert response.status_code == 302
    images = list(ProductImage.objects.filter(product=product).order_by("order").values_list("pk", "url"))
    new_pk = images[1][0]
    assert images == [(kept.pk, "https://cdn.example.com/changed.jpg"), (new_pk, "https://cdn.example.com/new.jpg")]
    assert not ProductImage.objects.filter(pk=removed.pk).exists()
    assert Product.objects.get(pk=product.pk).name == "After"
    assert (kinds(Product, product.pk), kinds(ProductImage, kept.pk), kinds(ProductImage, new_pk)) == (
        ["changed"],
        ["changed"],
        ["created"],
    )
