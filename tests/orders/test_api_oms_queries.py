"""The OMS order-item endpoints run a fixed number of queries, whatever the page size."""

import pytest
from django.db import connection

from tests.factories import (
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    ProductImageFactory,
    ProductStockFactory,
)
from tests.query_counts import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/oms/order_items/"
SIMPLE_URL = "/api/v1/oms/order_items/list-simple/"


@pytest.fixture
def many_items(channel, other_channel):
    """105 items of the caller's channel over 7 orders and 9 products (each with 2 images and
    stock), plus parents, and a few items of another channel."""
    products = [ProductFactory() for _ in range(9)]
    for product in products:
        ProductImageFactory(product=product, order=1)
        ProductImageFactory(product=product, order=2)
        ProductStockFactory(stock_list=channel.catalog.stock_list, product=product, extra_field={"bin": product.sku})
    orders = [OrderFactory(channel=channel) for _ in range(7)]
    items = []
    for index in range(105):
        parent = items[-1] if index % 10 == 5 else None
        items.append(OrderItemFactory(order=orders[index % 7], product=products[index % 9], parent=parent))
    foreign_order = OrderFactory(channel=other_channel)
    for product in products[:3]:
        OrderItemFactory(order=foreign_order, product=product)
    return items


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def warm_up(client):
    """First request of a token records its use; the OrderItem content type is cached per process."""
    assert client.get(LIST_URL, {"limit": 1}).status_code == 200


# token + membership + page + count, then products, images, price lists, stock lists,
# product prices, product stocks.
DETAILED_MEMBER_QUERIES = 10
# As above without products and images.
SIMPLE_MEMBER_QUERIES = 8


@pytest.mark.parametrize("url, expected", [(LIST_URL, DETAILED_MEMBER_QUERIES), (SIMPLE_URL, SIMPLE_MEMBER_QUERIES)])
def test_list_queries_do_not_grow_with_the_page_size(member_client, many_items, url, expected):
    warm_up(member_client)

    one = count_queries(member_client, url, {"limit": 1})
    hundred = count_queries(member_client, url, {"limit": 100})

    assert one == hundred == expected


@pytest.mark.parametrize(
    "url, expected", [(LIST_URL, DETAILED_MEMBER_QUERIES - 1), (SIMPLE_URL, SIMPLE_MEMBER_QUERIES - 1)]
)
def test_staff_lists_skip_the_membership_query(staff_client, many_items, url, expected):
    warm_up(staff_client)

    assert count_queries(staff_client, url, {"limit": 1}) == count_queries(staff_client, url, {"limit": 100})
    assert count_queries(staff_client, url, {"limit": 100}) == expected


def test_filtered_list_queries_do_not_grow_with_the_page_size(member_client, many_items):
    warm_up(member_client)
    number = many_items[0].order.number
    params = {"order_number": number, "status": "approved", "modified_date__gte": "2000-01-01T00:00:00Z"}

    one = count_queries(member_client, LIST_URL, {**params, "limit": 1})
    hundred = count_queries(member_client, LIST_URL, {**params, "limit": 100, "sort": "-modified_date"})

    # The 15 items of one order fit a page of 100, so that page skips COUNT(*).
    assert (one, hundred) == (DETAILED_MEMBER_QUERIES, DETAILED_MEMBER_QUERIES - 1)


def test_a_short_page_skips_the_count(member_client, many_items):
    warm_up(member_client)

    assert count_queries(member_client, LIST_URL, {"limit": 1000}) == DETAILED_MEMBER_QUERIES - 1


def test_detail_queries(member_client, many_items):
    warm_up(member_client)

    # token + membership + the row, then products, images, price lists, stock lists, prices, stocks.
    assert count_queries(member_client, f"{LIST_URL}{many_items[15].pk}/") == 9


def test_page_of_100_spans_the_related_data(member_client, many_items):
    results = member_client.get(LIST_URL, {"limit": 100}).json()["results"]

    assert len(results) == 100
    assert len({row["product"]["id"] for row in results}) == 9
    assert len({row["order"] for row in results}) == 7
    assert all(len(row["product"]["productimage_set"]) == 2 for row in results)
    assert all(row["extra_field"]["stock_extra_field"] == {"bin": row["product"]["sku"]} for row in results)
    assert sum(row["parent_omnitron_id"] is not None for row in results) == 10
