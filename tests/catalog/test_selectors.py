"""The lists a channel uses: its catalog's default and extra lists, nothing of another channel's."""

import pytest

from catalog.selectors import channel_list_ids, channel_price_list_list
from tests.factories import ChannelFactory, PriceListFactory, StockListFactory

pytestmark = pytest.mark.django_db


def test_channel_lists_are_its_catalogs_default_and_extra_lists_only():
    channel, other = ChannelFactory(), ChannelFactory()
    extra_prices = [PriceListFactory(), PriceListFactory()]
    extra_stock = StockListFactory()
    channel.catalog.extra_price_lists.set(extra_prices)
    channel.catalog.extra_stock_lists.set([extra_stock])
    other.catalog.extra_price_lists.set([PriceListFactory()])
    prices = sorted([channel.catalog.price_list_id, *(p.pk for p in extra_prices)])
    assert list(channel_price_list_list(channel_id=channel.pk).values_list("pk", flat=True)) == prices
    assert sorted(channel_list_ids(channel_id=channel.pk, kind="price").values_list("id", flat=True)) == prices
    assert sorted(channel_list_ids(channel_id=channel.pk, kind="stock").values_list("id", flat=True)) == sorted(
        [channel.catalog.stock_list_id, extra_stock.pk]
    )
    assert list(channel_price_list_list(channel_id=other.pk).values_list("pk", flat=True)) == sorted(
        [other.catalog.price_list_id, *other.catalog.extra_price_lists.values_list("pk", flat=True)]
    )
