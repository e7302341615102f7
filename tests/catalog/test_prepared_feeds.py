"""The "updates" feeds compiled once (``integrations.selectors.UpdatesFeed``, the stock feeds' page,
``orders/updates/``' orders, the catalog's lists): the statements the ORM builds, the same bytes;
any other request (``sort``, ``stock_list``, ``cursor``) reads as usual."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from catalog.feed_views import FeedViewSet
from catalog.feeds import channel_catalog_lists
from catalog.models import ProductStock
from channels.models import Channel
from integrations.models import IntegrationAction, IntegrationStatus
from integrations.selectors import UpdatesFeed, _feed, feed_object_count, feed_object_ids
from orders.models import Order
from tests.factories import OrderFactory, ProductStockFactory, StockListFactory, listed_products
from tests.query_counts import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LIMIT = re.compile(r" LIMIT \d+( OFFSET \d+)?$")


def pending(channel, row, *, status=IntegrationStatus.SUCCESS) -> IntegrationAction:
    """The channel's integration action for ``row``, changed since it was sent."""
    return IntegrationAction.objects.create(
        channel=channel,
        content_type=ContentType.objects.get_for_model(type(row)),
        object_id=row.pk,
        status=status,
        synced_seq=1,
        pending_seq=2,
    )


@pytest.fixture
def stocks(channel):
    """Four rows of the channel's default stock list; the first, second and fourth changed since
    sent, the third processing in an open batch; a row of another list changed too."""
    products = listed_products(channel, 4)
    rows = [ProductStock.objects.get(product=product, stock_list=channel.catalog.stock_list) for product in products]
    ProductStock.objects.filter(pk=rows[1].pk).update(stock=7, extra_field={"bin": "A-1"})
    for row in (rows[0], rows[1], rows[3]):
        pending(channel, row)
    pending(channel, rows[2], status=IntegrationStatus.PROCESSING)
    pending(channel, ProductStockFactory(stock_list=StockListFactory(), product=products[0]))
    return rows


def statements(run) -> tuple:
    with CaptureQueriesContext(connection) as queries:
        result = run()
    return result, [query["sql"] for query in queries.captured_queries]


def test_channel_catalog_lists_sends_the_statement_of_the_orm_first(channel):
    expected, orm = statements(
        lambda: Channel.objects.filter(pk=channel.pk).values("catalog__price_list_id", "catalog__stock_list_id").first()
    )
    lists, prepared = statements(lambda: channel_catalog_lists(channel_id=channel.pk))
    assert prepared == orm
    assert (
        (lists.price_list_id, lists.stock_list_id)
        == (
            expected["catalog__price_list_id"],
            expected["catalog__stock_list_id"],
        )
        == (channel.catalog.price_list_id, channel.catalog.stock_list_id)
    )
    missing, _ = statements(lambda: channel_catalog_lists(channel_id=channel.pk + 1000))
    assert (missing.price_list_id, missing.stock_list_id) == (None, None)


@pytest.mark.parametrize("limit, offset", [(10, 0), (1, 1)])
def test_an_updates_feed_without_candidates_sends_the_orm_statements(channel, limit, offset):
    # Given three orders changed since sent, one of them processing
    orders = [OrderFactory(channel=channel) for _ in range(3)]
    for order in orders[:2]:
        pending(channel, order)
    pending(channel, orders[2], status=IntegrationStatus.PROCESSING)
    orm_feed = _feed(channel_id=channel.pk, model=Order, mode="updates", candidates=None)
    # When the compiled feed and the ORM's read the ids and the count
    expected, orm = statements(lambda: list(orm_feed[offset : offset + limit]))
    ids, prepared = statements(
        lambda: feed_object_ids(channel_id=channel.pk, model=Order, mode="updates", limit=limit, offset=offset)
    )
    expected_count, orm_count = statements(orm_feed.count)
    count, prepared_count = statements(lambda: feed_object_count(channel_id=channel.pk, model=Order, mode="updates"))
    # Then the same rows and statements, the page's LIMIT/OFFSET bound
    assert ids == expected == [orders[0].pk, orders[1].pk][offset : offset + limit]
    assert (count, prepared_count) == (expected_count, orm_count) == (2, orm_count)
    assert prepared[0].endswith(f" LIMIT {limit} OFFSET {offset}")
    assert [LIMIT.sub("", sql) for sql in prepared] == [LIMIT.sub("", sql) for sql in orm]


def test_an_updates_feed_with_candidates_sends_the_orm_statements(channel, stocks):
    feed = UpdatesFeed(lambda list_ids: ProductStock.objects.filter(stock_list_id__in=list_ids), kinds=("in",))
    candidates = ProductStock.objects.filter(stock_list_id__in=[channel.catalog.stock_list_id])
    orm_feed = _feed(channel_id=channel.pk, model=ProductStock, mode="updates", candidates=candidates)
    expected, orm = statements(lambda: list(orm_feed[:10]))
    ids, prepared = statements(
        lambda: feed.object_ids(
            channel_id=channel.pk, model=ProductStock, args=([channel.catalog.stock_list_id],), limit=10
        )
    )
    expected_count, orm_count = statements(orm_feed.count)
    count, prepared_count = statements(
        lambda: feed.object_count(channel_id=channel.pk, model=ProductStock, args=([channel.catalog.stock_list_id],))
    )
    assert ids == expected == [stocks[0].pk, stocks[1].pk, stocks[3].pk]
    assert [LIMIT.sub("", sql) for sql in prepared] == [LIMIT.sub("", sql) for sql in orm]
    assert (count, prepared_count) == (expected_count, orm_count) == (3, orm_count)


def run(client, path: str, *, prepared: bool, monkeypatch) -> tuple[int, bytes, list[str]]:
    """The response and its statements (after a warm-up request), the prepared page on or off."""
    client.get(path)
    with monkeypatch.context() as patch:
        if not prepared:
            patch.setattr(FeedViewSet, "prepared_rows", lambda self, request, ids: None)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    return response.status_code, response.content, [query["sql"] for query in queries.captured_queries]


def stock_row(row: ProductStock) -> dict:
    fresh = ProductStock.objects.get(pk=row.pk)
    return {
        "pk": fresh.pk,
        "product": fresh.product_id,
        "stock_list": fresh.stock_list_id,
        "stock": fresh.stock,
        "reserved": 0,
        "available": fresh.stock,
        "unit_type": fresh.unit_type,
        "sold_quantity_unreported": fresh.sold_quantity_unreported,
        "extra_field": fresh.extra_field,
        "created_date": fresh.created_date.isoformat().replace("+00:00", "Z"),
        "modified_date": fresh.modified_date.isoformat().replace("+00:00", "Z"),
    }


@pytest.mark.parametrize("limit", [100, 3, 2])
def test_the_stock_feed_page_answers_the_same_bytes_with_the_same_statements(
    member_client, channel, stocks, monkeypatch, limit
):
    path = f"/api/v1/channel/{channel.pk}/product_stocks/updates/?limit={limit}"
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    assert fast[:2] == usual[:2]
    assert fast[0] == 200
    body = member_client.get(path).json()
    offered = [stocks[0], stocks[1], stocks[3]][:limit]
    assert body == {"count": len(offered), "next": None, "previous": None, "results": [stock_row(r) for r in offered]}
    assert body["results"][1]["extra_field"] == {"bin": "A-1"}
    # The same statements (a full page counted); the page's and the ids' LIMIT/OFFSET are bound.
    assert len(fast[2]) == len(usual[2]) == (4 if limit <= 3 else 3) + 2  # + token and membership
    assert [LIMIT.sub("", sql) for sql in fast[2]] == [LIMIT.sub("", sql) for sql in usual[2]]
    assert re.search(r"LIMIT \d+ OFFSET 0$", fast[2][-2 if limit <= 3 else -1])


@pytest.mark.parametrize(
    "query",
    ["limit=2&page=2", "limit=100&page=2"],
)
def test_a_stock_feed_page_past_the_first_is_the_usual_404(member_client, channel, stocks, monkeypatch, query):
    path = f"/api/v1/channel/{channel.pk}/product_stocks/updates/?{query}"
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    assert fast[:2] == usual[:2]
    assert fast[0] == 404
    assert len(fast[2]) == len(usual[2])


def test_a_feed_with_nothing_pending_answers_an_empty_page_without_reading_rows(member_client, channel, monkeypatch):
    listed_products(channel, 1)
    path = f"/api/v1/channel/{channel.pk}/product_stocks/updates/?limit=5"
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    assert fast == usual
    assert member_client.get(path).json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "query",
    ["limit=100&sort=-id", "limit=100&sort=nope", "cursor=", "limit=100&stock_list={extra}", "limit=100&stock_list=x"],
)
def test_other_stock_feed_requests_read_as_usual(member_client, channel, stocks, monkeypatch, query):
    extra = StockListFactory()
    channel.catalog.extra_stock_lists.add(extra)
    pending(channel, ProductStockFactory(stock_list=extra, product=stocks[0].product))
    path = f"/api/v1/channel/{channel.pk}/extra_product_stocks/updates/?{query.format(extra=extra.pk)}"
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    # The same statements to the letter: the prepared page would bind "LIMIT n OFFSET m".
    assert fast == usual


def test_the_extra_stock_feed_page_is_prepared_too(member_client, channel, stocks, monkeypatch):
    extra = StockListFactory()
    channel.catalog.extra_stock_lists.add(extra)
    row = ProductStockFactory(stock_list=extra, product=stocks[0].product)
    pending(channel, row)
    path = f"/api/v1/channel/{channel.pk}/extra_product_stocks/updates/?limit=10"
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    assert fast[:2] == usual[:2]
    assert [LIMIT.sub("", sql) for sql in fast[2]] == [LIMIT.sub("", sql) for sql in usual[2]]
    assert fast[2] != usual[2]
    assert member_client.get(path).json()["results"] == [stock_row(row)]


def test_order_updates_read_the_orders_the_sort_filter_reads(member_client, channel):
    # Given two changed orders of the channel and one of another channel's
    orders = [OrderFactory(channel=channel) for _ in range(2)]
    for order in orders:
        pending(channel, order)
    path = f"/api/v1/channel/{channel.pk}/orders/updates/?limit=10"
    member_client.get(path)
    # When the feed is read without and with ``sort=id`` (the same order, through the filter)
    with CaptureQueriesContext(connection) as fast:
        prepared = member_client.get(path)
    with CaptureQueriesContext(connection) as usual:
        sorted_ = member_client.get(f"{path}&sort=id")
    # Then the same orders from the same statements
    assert (prepared.status_code, sorted_.status_code) == (200, 200)
    assert prepared.json()["results"] == sorted_.json()["results"]
    assert [row["pk"] for row in prepared.json()["results"]] == [order.pk for order in orders]
    assert prepared.json()["results"][0]["number"] == orders[0].number
    assert [query["sql"] for query in fast.captured_queries] == [query["sql"] for query in usual.captured_queries]


def test_the_prepared_page_count_shares_the_usual_count_cache(member_client, channel, stocks, monkeypatch, settings):
    # Given the count cache on and a full page counted through the prepared page
    settings.API_COUNT_CACHE_SECONDS = 60
    path = f"/api/v1/channel/{channel.pk}/product_stocks/updates/?limit=3"
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    # When the same page is read as usual
    with monkeypatch.context() as patch:
        patch.setattr(FeedViewSet, "prepared_rows", lambda self, request, ids: None)
        with CaptureQueriesContext(connection) as queries:
            usual = member_client.get(path)
    # Then its count comes from the same cache entry: no COUNT statement runs
    assert usual.content == fast[1]
    assert usual.json()["count"] == 3
    assert not [query for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]
