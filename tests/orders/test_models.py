"""Database constraints decide uniqueness and invariants, whatever the code above them does."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from catalog.models import ProductPrice, ProductStock
from orders.models import Order
from tests.factories import (
    ChannelFactory,
    OrderFactory,
    ProductFactory,
    ProductPriceFactory,
    ProductStockFactory,
)

pytestmark = pytest.mark.django_db


def test_duplicate_order_number_in_one_channel_is_rejected_by_the_database():
    order = OrderFactory(number="N-1")
    duplicate = OrderFactory.build(
        number="N-1",
        channel=order.channel,
        customer=order.customer,
        shipping_address=order.shipping_address,
        billing_address=order.billing_address,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.bulk_create([duplicate])
    assert Order.objects.filter(number="N-1").count() == 1


def test_same_order_number_in_another_channel_is_allowed():
    OrderFactory(number="N-1")
    OrderFactory(number="N-1", channel=ChannelFactory())
    assert Order.objects.filter(number="N-1").count() == 2


def test_one_price_per_price_list_and_product():
    price = ProductPriceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductPrice.objects.create(price_list=price.price_list, product=price.product, price=Decimal("1.00"))
    assert ProductPrice.objects.count() == 1


def test_one_stock_row_per_stock_list_and_product():
    stock = ProductStockFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductStock.objects.create(stock_list=stock.stock_list, product=stock.product, stock=1)
    assert ProductStock.objects.count() == 1


def test_negative_stock_is_rejected_by_the_database():
    stock = ProductStockFactory(stock=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductStock.objects.filter(pk=stock.pk).update(stock=-1)
    stock.refresh_from_db()
    assert stock.stock == 3


def test_negative_order_amount_is_rejected_by_the_database():
    order = OrderFactory(amount=Decimal("5.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(amount=Decimal("-1.00"))
    order.refresh_from_db()
    assert order.amount == Decimal("5.00")


def test_sku_is_unique():
    ProductFactory(sku="A-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(sku="A-1", base_code="other")


def test_every_model_has_indexed_timestamps():
    from django.apps import apps

    for label in ("omnitron", "channels", "catalog", "orders"):
        for model in apps.get_app_config(label).get_models():
            names = {f.name: f for f in model._meta.get_fields() if hasattr(f, "db_index")}
            assert names["created_date"].db_index and names["modified_date"].db_index, model
