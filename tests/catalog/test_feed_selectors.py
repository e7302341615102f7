"""The catalog's selection for ``integration_actions/deleted/?model=product``."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.feeds import catalog_product_list, deleted_product_integration_actions
from catalog.models import Product, ProductPrice
from integrations.models import IntegrationAction
from tests.factories import PriceListFactory, ProductFactory, ProductPriceFactory, ProductStockFactory

pytestmark = pytest.mark.django_db


def product_ia(channel, object_id) -> IntegrationAction:
    return IntegrationAction.objects.create(
        channel=channel,
        content_type=ContentType.objects.get_for_model(Product),
        object_id=object_id,
        remote_id=f"R-{object_id}",
        status="success",
    )


def test_deleted_product_actions_are_those_whose_product_is_gone_or_left_the_catalog(channel, other_channel):
    kept, deactivated, unpriced, deleted = (ProductFactory() for _ in range(4))
    for product in (kept, deactivated, unpriced):
        ProductPriceFactory(price_list=channel.catalog.price_list, product=product)
    ProductPriceFactory(price_list=PriceListFactory(), product=unpriced)
    actions = {product.pk: product_ia(channel, product.pk) for product in (kept, deactivated, unpriced, deleted)}
    product_ia(other_channel, deleted.pk)  # another channel's
    stock = ProductStockFactory(stock_list=channel.catalog.stock_list, product=kept)
    IntegrationAction.objects.create(  # not a product action
        channel=channel, content_type=ContentType.objects.get_for_model(stock), object_id=stock.pk + 10**6
    )
    Product.objects.filter(pk=deactivated.pk).update(is_active=False)
    ProductPrice.objects.filter(product=unpriced, price_list=channel.catalog.price_list).delete()
    deleted_pk = deleted.pk
    deleted.delete()

    with CaptureQueriesContext(connection) as queries:
        selected = list(deleted_product_integration_actions(channel_id=channel.pk).values_list("pk", "object_id"))
    assert selected == [
        (actions[deactivated.pk].pk, deactivated.pk),
        (actions[unpriced.pk].pk, unpriced.pk),
        (actions[deleted_pk].pk, deleted_pk),
    ]
    assert len(queries) == 2  # the catalog's lists, then the actions


def test_a_channel_without_a_catalog_has_every_product_action_deleted(channel):
    product = ProductFactory()
    ProductPriceFactory(price_list=channel.catalog.price_list, product=product)
    action = product_ia(channel, product.pk)
    channel.catalog = None
    channel.save()
    assert list(deleted_product_integration_actions(channel_id=channel.pk).values_list("pk", flat=True)) == [action.pk]


def test_catalog_products_are_active_and_priced_in_the_default_list(channel):
    priced, inactive, elsewhere = ProductFactory(), ProductFactory(is_active=False), ProductFactory()
    ProductPriceFactory(price_list=channel.catalog.price_list, product=priced)
    ProductPriceFactory(price_list=channel.catalog.price_list, product=inactive)
    ProductPriceFactory(price_list=PriceListFactory(), product=elsewhere)
    products = catalog_product_list(price_list_id=channel.catalog.price_list_id)
    assert list(products.values_list("pk", flat=True)) == [priced.pk]
    assert list(catalog_product_list(price_list_id=None)) == []
