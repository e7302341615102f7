"""The data migration that moves each channel's price and stock list into a catalog."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("channels", "0002_channel_catalog_setup_fields_retail_store"), ("catalog", "0002_catalog")]
AFTER = [("channels", "0004_remove_channel_price_and_stock_lists")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_channel_with_lists_gets_a_catalog_holding_them_and_the_move_reverses():
    old = migrate(BEFORE)
    PriceList, StockList = old.get_model("catalog", "PriceList"), old.get_model("catalog", "StockList")
    Channel = old.get_model("channels", "Channel")
    prices, stocks = PriceList.objects.create(name="P"), StockList.objects.create(name="S")
    web = Channel.objects.create(name="Web", price_list=prices, stock_list=stocks)
    price_only = Channel.objects.create(name="Prices only", price_list=prices)
    bare = Channel.objects.create(name="Bare")

    try:
        new = migrate(AFTER)
        channels = {row.pk: row for row in new.get_model("channels", "Channel").objects.select_related("catalog")}
        assert (channels[web.pk].catalog.name, channels[web.pk].catalog.price_list_id) == ("Web catalog", prices.pk)
        assert channels[web.pk].catalog.stock_list_id == stocks.pk
        assert (channels[price_only.pk].catalog.price_list_id, channels[price_only.pk].catalog.stock_list_id) == (
            prices.pk,
            None,
        )
        assert channels[bare.pk].catalog is None
        assert new.get_model("catalog", "Catalog").objects.count() == 2

        back = migrate(BEFORE)
        restored = {
            row.pk: (row.price_list_id, row.stock_list_id)
            for row in back.get_model("channels", "Channel").objects.all()
        }
        assert restored == {web.pk: (prices.pk, stocks.pk), price_only.pk: (prices.pk, None), bare.pk: (None, None)}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
