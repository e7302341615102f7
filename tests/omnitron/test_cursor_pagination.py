"""Keyset cursor paging (``?cursor=``): every row once, in id order, at a constant cost per page."""

import re
from urllib.parse import urlsplit

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from omnitron.pagination import CURSOR_PATTERN, INVALID_CURSOR, encode_cursor
from orders.models import OrderItem
from tests.factories import OrderFactory, OrderItemFactory, ProductStockFactory

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/channel/{}/order_items/"

# Every large list; each takes a cursor through the shared paginator.
LISTS = [
    "/api/v1/channel/{channel}/order_items/",
    "/api/v1/channel/{channel}/order_items/detailed/",
    "/api/v1/channel/{channel}/order_items/detailed_integration/",
    "/api/v1/channel/{channel}/orders/",
    "/api/v1/channel/{channel}/customers/",
    "/api/v1/channel/{channel}/addresses/",
    "/api/v1/channel/{channel}/products/",
    "/api/v1/channel/{channel}/product_prices/",
    "/api/v1/channel/{channel}/product_stocks/",
    "/api/i1/orders/",
    "/api/i1/order_items/",
    "/api/v1/oms/order_items/",
    "/api/v1/oms/order_items/list-simple/",
]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def row_id(row: dict) -> int:
    return row["pk"] if "pk" in row else row["id"]


def walk(client, path: str) -> tuple[list[int], list[dict]]:
    """Follow ``next`` from ``path`` (which starts a cursor walk) to the end: (ids, bodies)."""
    ids, bodies = [], []
    while path:
        response = client.get(path)
        assert response.status_code == 200, response.content
        body = response.json()
        bodies.append(body)
        ids += [row_id(row) for row in body["results"]]
        path = body["next"] and path_of(body["next"])
    return ids, bodies


@pytest.fixture
def channel_items(channel, other_channel):
    """Seven items in ``channel`` over four orders (their products stocked), and two in ``other_channel``."""
    orders = [OrderFactory(channel=channel) for _ in range(4)]
    items = [OrderItemFactory(order=orders[index % 4]) for index in range(7)]
    for item in items:
        ProductStockFactory(stock_list=channel.catalog.stock_list, product=item.product)
    foreign = OrderFactory(channel=other_channel)
    OrderItemFactory.create_batch(2, order=foreign)
    return items


def test_a_cursor_walk_returns_every_item_once_in_id_order_while_items_are_added(member_client, channel, channel_items):
    # Given seven items in the channel, walked three at a time
    path = ITEMS.format(channel.pk) + "?cursor=&limit=3"
    seen, pages = [], 0
    added = []
    while path:
        response = member_client.get(path)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["pk"] for row in body["results"]]
        pages += 1
        if pages == 1:
            # When items are added during the walk (one in this channel, one in another)
            added.append(OrderItemFactory(order=channel_items[0].order))
            OrderItemFactory(order=OrderFactory())
        path = body["next"] and path_of(body["next"])
    # Then every item of the channel, the added one included, came once, in id order
    expected = list(OrderItem.objects.filter(channel=channel).order_by("id").values_list("id", flat=True))
    assert seen == expected
    assert expected == sorted([item.pk for item in channel_items] + [added[0].pk])
    assert pages == 3


def test_a_cursor_page_has_no_count_and_no_previous_link(member_client, channel, channel_items):
    response = member_client.get(ITEMS.format(channel.pk), {"cursor": "", "limit": 3, "status": "400"})
    body = response.json()
    assert (response.status_code, list(body)) == (200, ["next", "previous", "results"])
    assert body["previous"] is None
    next_url = urlsplit(body["next"])
    assert next_url.path == ITEMS.format(channel.pk)
    assert "limit=3" in next_url.query and "status=400" in next_url.query and "cursor=" in next_url.query
    assert [row["pk"] for row in body["results"]] == [item.pk for item in sorted(channel_items, key=lambda i: i.pk)][:3]


def test_the_last_cursor_page_has_no_next_link(member_client, channel, channel_items):
    # Given a limit equal to the number of items: the first page holds them all
    body = member_client.get(ITEMS.format(channel.pk), {"cursor": "", "limit": 7}).json()
    assert (len(body["results"]), body["next"]) == (7, None)


def test_an_empty_list_answers_an_empty_cursor_page(member_client, channel):
    response = member_client.get(ITEMS.format(channel.pk), {"cursor": ""})
    assert (response.status_code, response.json()) == (200, {"next": None, "previous": None, "results": []})


def test_statements_per_cursor_page_are_the_same_at_depth(member_client, channel, channel_items):
    # Given a warm client and a walk of one item per page
    path = ITEMS.format(channel.pk) + "?cursor=&limit=1"
    member_client.get(path)
    counts = []
    while path:
        with CaptureQueriesContext(connection) as queries:
            body = member_client.get(path).json()
        counts.append(len(queries))
        path = body["next"] and path_of(body["next"])
    # Then the first page and the seventh ran the same statements, none of them a COUNT
    assert len(counts) == 7
    assert len(set(counts)) == 1, counts


def test_a_cursor_page_runs_no_count(member_client, channel, channel_items):
    member_client.get(ITEMS.format(channel.pk), {"cursor": "", "limit": 2})
    with CaptureQueriesContext(connection) as queries:
        member_client.get(ITEMS.format(channel.pk), {"cursor": "", "limit": 2})
    assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]


@pytest.mark.parametrize("template", LISTS)
def test_every_large_list_walks_by_cursor_to_the_rows_page_limit_shows(member_client, channel, channel_items, template):
    # Given the list as page/limit shows it whole
    base = template.format(channel=channel.pk)
    everything = member_client.get(base, {"limit": 1000})
    assert everything.status_code == 200, everything.content
    expected = [row_id(row) for row in everything.json()["results"]]
    assert len(expected) >= 3
    # When it is walked two rows at a time by cursor
    ids, bodies = walk(member_client, base + "?cursor=&limit=2")
    # Then the walk shows the same rows, in id order, each once, without count
    assert ids == sorted(expected)
    assert len(bodies) == (len(expected) + 1) // 2
    assert all("count" not in body for body in bodies)


@pytest.mark.parametrize(
    "token",
    [
        "not-a-cursor",
        "!!!!",
        "ünicode",
        "k1",
        "k2ff",
        "K1ff",
        "k1FF",
        "k1-5",
        "k1 5",
        "k1_5",
        "k1" + "f" * 17,
        " k1ff",
        "k1ff ",
    ],
)
def test_a_malformed_cursor_is_a_json_400(member_client, channel, channel_items, token):
    response = member_client.get(ITEMS.format(channel.pk), {"cursor": token})
    assert (response.status_code, response.json()) == (400, {"cursor": [INVALID_CURSOR]})
    assert not re.fullmatch(CURSOR_PATTERN, token)


def test_a_cursor_carries_only_the_position_the_urls_filters_apply_on_each_page(member_client, channel, channel_items):
    # Given a cursor after the channel's third item
    ordered = sorted(channel_items, key=lambda item: item.pk)
    OrderItem.objects.filter(pk__in=[ordered[4].pk, ordered[6].pk]).update(status="550")
    token = encode_cursor(ordered[2].pk)
    # When it is sent with a status filter
    body = member_client.get(ITEMS.format(channel.pk), {"cursor": token, "status": "550"}).json()
    # Then the page holds the later items that match the filter
    assert [row["pk"] for row in body["results"]] == [ordered[4].pk, ordered[6].pk]


def test_a_cursor_ignores_page_but_still_validates_it(member_client, channel, channel_items):
    with_page = member_client.get(ITEMS.format(channel.pk), {"cursor": "", "limit": 3, "page": 2})
    without = member_client.get(ITEMS.format(channel.pk), {"cursor": "", "limit": 3})
    assert (with_page.status_code, with_page.json()["results"]) == (200, without.json()["results"])
    assert "page=" not in with_page.json()["next"]
    invalid = member_client.get(ITEMS.format(channel.pk), {"cursor": "", "page": "abc"})
    assert (invalid.status_code, invalid.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("sort", ["", "id", "-id", "-modified_date", "status,-id"])
def test_a_cursor_walks_in_id_order_whatever_the_sort(member_client, channel, channel_items, sort):
    ids, _ = walk(member_client, ITEMS.format(channel.pk) + f"?cursor=&limit=3&sort={sort}")
    assert ids == sorted(item.pk for item in channel_items)


def test_an_invalid_sort_is_still_400_with_a_cursor(member_client, channel, channel_items):
    response = member_client.get(ITEMS.format(channel.pk), {"cursor": "", "sort": "--id"})
    assert (response.status_code, list(response.json())) == (400, ["sort"])


@pytest.mark.parametrize("after", [2**62, 2**64 - 1])
def test_a_cursor_past_the_last_id_answers_an_empty_page(member_client, channel, channel_items, after):
    # Given a well-formed token whose id is beyond every item (or beyond the largest bigint)
    token = encode_cursor(after)
    assert re.fullmatch(CURSOR_PATTERN, token)
    response = member_client.get(ITEMS.format(channel.pk), {"cursor": token})
    assert (response.status_code, response.json()) == (200, {"next": None, "previous": None, "results": []})


def test_the_schema_documents_the_cursor_and_an_envelope_whose_count_is_optional(client):
    schema = orjson.loads(client.get("/api/schema/", {"format": "json"}).content)
    operation = schema["paths"]["/api/v1/channel/{channel_id}/order_items/"]["get"]
    cursor = next(parameter for parameter in operation["parameters"] if parameter["name"] == "cursor")
    assert (cursor["in"], cursor["schema"]) == ("query", {"type": "string", "pattern": CURSOR_PATTERN})
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert envelope["required"] == ["next", "previous", "results"]
    assert "cursor mode" in envelope["properties"]["count"]["description"]


@pytest.mark.postgres
def test_a_cursor_page_is_an_index_range_scan_on_postgresql(member_client, channel, channel_items):
    # Given a few thousand items in the channel, analysed
    template = channel_items[0]
    fields = {
        field.attname: getattr(template, field.attname)
        for field in OrderItem._meta.concrete_fields
        if not field.primary_key
    }
    OrderItem.objects.bulk_create([OrderItem(**fields) for _ in range(3000)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orders_orderitem")
    # When a page deep in the walk is requested
    first = member_client.get(ITEMS.format(channel.pk), {"cursor": "", "limit": 1000}).json()
    deep = path_of(first["next"])
    with CaptureQueriesContext(connection) as queries:
        assert member_client.get(deep).status_code == 200
    page_sql = next(q["sql"] for q in queries.captured_queries if 'FROM "orders_orderitem"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {page_sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Then its plan reads a range of an index from the last id on (the channel's (channel, id) index or
    # the primary key, as the planner prefers), without sorting and without reading the whole table
    scan = re.search(r"Index Scan using (item_channel_id_idx|orders_orderitem_pkey) on orders_orderitem", plan)
    assert scan, plan
    assert re.search(r"Index Cond: .*\bid > \d+\)", plan), plan
    assert "Sort" not in plan and "Seq Scan on orders_orderitem" not in plan, plan
