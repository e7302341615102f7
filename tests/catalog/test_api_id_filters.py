"""``pk__in`` on products, prices and stocks and ``product__pk__in`` on prices and stocks, as
channel-app pages through them (comma-joined ids, often with ``limit`` = the number of ids)."""

import pytest

from tests.factories import (
    PriceListFactory,
    ProductPriceFactory,
    ProductStockFactory,
    StockListFactory,
    listed_products,
)
from tests.query_counts import queries_per_full_page

pytestmark = pytest.mark.django_db


def pks(client, channel, path, params) -> list[int]:
    response = client.get(f"/api/v1/channel/{channel.pk}/{path}", params)
    assert response.status_code == 200, response.content
    return [row["pk"] for row in response.json()["results"]]


@pytest.fixture
def products(channel):
    products = listed_products(channel, 4)
    for product in products:
        # The same products in lists the channel does not use: never listed.
        ProductPriceFactory(price_list=PriceListFactory(), product=product)
        ProductStockFactory(stock_list=StockListFactory(), product=product)
    return products


def test_products_pk_in(member_client, channel, products):
    first, _, third, _ = products
    ids = f"{third.pk},{first.pk},999999999"
    assert pks(member_client, channel, "products/", {"pk__in": ids, "sort": "id"}) == [first.pk, third.pk]
    assert pks(member_client, channel, "products/", {"pk__in": "999999999"}) == []


@pytest.mark.parametrize("path, related", [("product_prices/", "prices"), ("product_stocks/", "stocks")])
def test_prices_and_stocks_pk_in(member_client, channel, products, path, related):
    lists = {"prices": ("price_list", channel.catalog.price_list), "stocks": ("stock_list", channel.catalog.stock_list)}
    field, own_list = lists[related]
    rows = [getattr(product, related).get(**{field: own_list}) for product in products]
    foreign = getattr(products[0], related).exclude(**{field: own_list}).get()
    params = {"pk__in": f"{rows[1].pk},{rows[3].pk},{foreign.pk}", "limit": 3}
    assert pks(member_client, channel, path, params) == [rows[1].pk, rows[3].pk]
    assert pks(member_client, channel, path, {"pk__in": str(foreign.pk)}) == []


@pytest.mark.parametrize("path, related", [("product_prices/", "prices"), ("product_stocks/", "stocks")])
def test_prices_and_stocks_product_pk_in(member_client, channel, products, path, related):
    lists = {"prices": ("price_list", channel.catalog.price_list), "stocks": ("stock_list", channel.catalog.stock_list)}
    field, own_list = lists[related]
    wanted = [products[0], products[2]]
    params = {"product__pk__in": ",".join(str(product.pk) for product in wanted), field: own_list.pk}
    expected = [getattr(product, related).get(**{field: own_list}).pk for product in wanted]
    assert pks(member_client, channel, path, params) == expected
    assert (
        pks(
            member_client,
            channel,
            path,
            {**params, field: PriceListFactory().pk if field == "price_list" else StockListFactory().pk},
        )
        == []
    )
    assert pks(member_client, channel, path, {"product__pk__in": "999999999"}) == []


@pytest.mark.parametrize(
    "path, param",
    [("products/", "pk__in"), ("product_prices/", "product__pk__in"), ("product_stocks/", "product__pk__in")],
)
def test_id_list_queries_do_not_grow_with_page_size(member_client, channel, path, param):
    products = listed_products(channel, 15)
    params = {param: ",".join(str(product.pk) for product in products)}
    counts = queries_per_full_page(member_client, f"/api/v1/channel/{channel.pk}/{path}", params)
    assert counts[0] == counts[1]
