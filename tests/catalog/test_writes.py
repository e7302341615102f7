"""Catalog writes: every version of a product, image, price or stock has its own modified_date and
an outbox row written in the same transaction."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import Product, ProductImage, ProductPrice, ProductStock
from catalog.writes import catalog_row_create, catalog_row_update, catalog_row_upsert, next_version
from integrations.models import Change, IntegrationAction
from tests.factories import ProductFactory, ProductPriceFactory, ProductStockFactory

pytestmark = pytest.mark.django_db

FROZEN = datetime(2030, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)  # after every row the tests create


def changes_of(row) -> list[tuple]:
    content_type = ContentType.objects.get_for_model(type(row))
    return list(
        Change.objects.filter(content_type=content_type, object_id=row.pk)
        .order_by("id")
        .values_list("channel_id", "kind", "version_date")
    )


def test_next_version_is_strictly_later_than_the_previous():
    with mock.patch("catalog.writes.timezone.now", return_value=FROZEN):
        assert next_version(None) == FROZEN
        assert next_version(FROZEN) == FROZEN + timedelta(microseconds=1)
        assert next_version(FROZEN - timedelta(seconds=1)) == FROZEN
        assert next_version(FROZEN + timedelta(seconds=1)) == FROZEN + timedelta(seconds=1, microseconds=1)


def test_two_updates_in_the_same_microsecond_get_two_versions():
    stock = ProductStockFactory(stock=10)
    with mock.patch("catalog.writes.timezone.now", return_value=FROZEN):
        catalog_row_update(row=stock, fields={"stock": 9})
        catalog_row_update(row=stock, fields={"stock": 8})
    stored = ProductStock.objects.get(pk=stock.pk)
    assert (stored.stock, stored.modified_date, stock.modified_date) == (
        8,
        FROZEN + timedelta(microseconds=1),
        FROZEN + timedelta(microseconds=1),
    )
    assert changes_of(stock) == [
        (None, "changed", FROZEN),
        (None, "changed", FROZEN + timedelta(microseconds=1)),
    ]


def test_create_records_a_created_change_at_the_rows_modified_date():
    product = catalog_row_create(row=Product(name="New", sku="NEW-1"))
    stored = Product.objects.get(pk=product.pk)
    assert changes_of(product) == [(None, "created", stored.modified_date)]


def test_update_moves_pending_seq_of_every_channels_action(channel, other_channel):
    price = ProductPriceFactory(price_list=channel.catalog.price_list)
    content_type = ContentType.objects.get_for_model(ProductPrice)
    for ch in (channel, other_channel):
        IntegrationAction.objects.create(channel=ch, content_type=content_type, object_id=price.pk, status="success")
    catalog_row_update(row=price, fields={"price": Decimal("55.50")})
    change_id = Change.objects.get(content_type=content_type, object_id=price.pk).pk
    assert list(IntegrationAction.objects.order_by("channel_id").values_list("pending_seq", "synced_seq")) == [
        (change_id, 0),
        (change_id, 0),
    ]
    assert ProductPrice.objects.get(pk=price.pk).price == Decimal("55.50")


def test_an_update_that_fails_records_nothing():
    product = ProductFactory(name="Before")
    with pytest.raises(RuntimeError), transaction.atomic():
        catalog_row_update(row=product, fields={"name": "After"})
        raise RuntimeError("the caller's transaction rolls back")
    assert (Product.objects.get(pk=product.pk).name, changes_of(product)) == ("Before", [])


def test_updating_a_row_that_is_gone_raises_and_records_nothing():
    product = ProductFactory()
    ghost = Product(pk=product.pk + 1000, name="x", sku="x")
    with pytest.raises(Product.DoesNotExist):
        catalog_row_update(row=ghost, fields={"name": "y"})
    assert Change.objects.count() == 0


def test_update_runs_four_statements():
    image = ProductImage.objects.create(product=ProductFactory(), url="https://cdn.example.com/1.jpg")
    ContentType.objects.get_for_model(ProductImage)  # cached from here on, as in a running server
    with CaptureQueriesContext(connection) as queries:
        catalog_row_update(row=image, fields={"order": 3})
    writes = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))]
    assert len(writes) == 4, writes


def test_upsert_creates_then_updates_only_what_differs():
    product = ProductFactory()
    lookup = {"product": product, "stock_list": ProductStockFactory().stock_list}
    stock = catalog_row_upsert(model=ProductStock, lookup=lookup, values={"stock": 5})
    again = catalog_row_upsert(model=ProductStock, lookup=lookup, values={"stock": 5})
    kept = catalog_row_upsert(model=ProductStock, lookup=lookup, values={"stock": 9}, update=False)
    changed = catalog_row_upsert(model=ProductStock, lookup=lookup, values={"stock": 6})
    assert (again.pk, kept.pk, changed.pk) == (stock.pk, stock.pk, stock.pk)
    assert ProductStock.objects.get(pk=stock.pk).stock == 6
    assert [kind for _, kind, _ in changes_of(stock)] == ["created", "changed"]
