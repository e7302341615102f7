"""Prepared pages (``omnitron.prepared.PreparedPage``, ``RowsListMixin.prepared_pages``): a list's
frequent filter shapes answer with the very statement and bytes the view's filters give, and every
other request (other parameters, several values, an invalid value, an unscoped caller) filters as
usual."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from omnitron.viewsets import RowsListMixin
from orders.models import OrderItem
from tests.factories import OrderFactory, OrderItemFactory
from tests.query_counts import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LIMIT = re.compile(r" LIMIT \d+( OFFSET \d+)?$")


@pytest.fixture
def orders(channel, other_channel):
    made = [OrderFactory(channel=channel, number=f"PP-{index}", is_send=index % 2 == 0) for index in range(4)]
    made.append(OrderFactory(channel=other_channel, number="PP-0"))
    for order in made:
        for status in ("400", "450"):
            OrderItemFactory(order=order, status=status)
    OrderItem.objects.filter(order=made[3]).update(modified_date=timezone.now() - timedelta(days=30))
    return made


def run(client, path: str, *, prepared: bool, monkeypatch) -> tuple[int, bytes, list[str]]:
    """The response and its statements (after a warm-up request, auth cache empty), with the prepared
    pages in use or switched off."""
    client.get(path)
    with monkeypatch.context() as patch:
        if not prepared:
            patch.setattr(RowsListMixin, "prepared_page", lambda self, request: None)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    return response.status_code, response.content, [query["sql"] for query in queries.captured_queries]


def since() -> str:
    return (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


SHAPES = [
    ("/api/i1/orders/?number=PP-1", 1),
    ("/api/i1/orders/?number=%20PP-2%20&limit=5", 1),
    ("/api/i1/orders/?is_send=False&status=400&limit=1", 2),
    ("/api/i1/orders/?is_send=False&status=approved&limit=1&page=2", 2),
    ("/api/v1/oms/order_items/?order_number=PP-1", 2),
    ("/api/v1/oms/order_items/?order_number=PP-0&limit=1&page=2", 2),
    ("/api/v1/channel/{channel}/order_items/?status=400&modified_date__gte={since}", 3),
    ("/api/v1/channel/{channel}/order_items/?status=400&modified_date__gte={since}&limit=2&page=2", 3),
]


@pytest.mark.parametrize("path, expected_rows", SHAPES)
def test_a_prepared_shape_answers_the_same_bytes_with_the_same_statement(
    member_client, channel, orders, monkeypatch, path, expected_rows
):
    path = path.format(channel=channel.pk, since=since())
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    assert fast[0] == usual[0] == 200
    assert fast[1] == usual[1]
    body = member_client.get(path).json()
    assert (len(body["results"]), body["count"]) == (min(expected_rows, len(body["results"])), expected_rows)
    # The same statements in the same order; the page's differs only in LIMIT/OFFSET being bound.
    assert len(fast[2]) == len(usual[2])
    page = next(index for index, sql in enumerate(usual[2]) if LIMIT.search(sql) and "ORDER BY" in sql)
    assert re.search(r" LIMIT \d+ OFFSET \d+$", fast[2][page])  # the prepared statement ran
    assert LIMIT.sub("", fast[2][page]) == LIMIT.sub("", usual[2][page])
    assert [sql for index, sql in enumerate(fast[2]) if index != page] == [
        sql for index, sql in enumerate(usual[2]) if index != page
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/i1/orders/?number=PP-1&sort=-id",  # another shape
        "/api/i1/orders/?is_send=False&status=400&status=450",  # several values where the query takes one
        "/api/i1/orders/?number=",  # an empty value: the filter does not apply
        "/api/v1/oms/order_items/?order_number=PP-1&status=400",
        "/api/v1/channel/{channel}/order_items/?status=400&modified_date__gte={since}&cursor=",
    ],
)
def test_other_requests_filter_as_usual(member_client, channel, orders, monkeypatch, path):
    path = path.format(channel=channel.pk, since=since())
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    # The same statements to the letter: the prepared one would bind "LIMIT n OFFSET m".
    assert fast == usual
    assert fast[0] == 200


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/i1/orders/?number=PP%001", "number"),
        ("/api/i1/orders/?is_send=maybe&status=400", "is_send"),
        ("/api/v1/channel/{channel}/order_items/?status=nope&modified_date__gte=2026-01-01T00:00:00Z", "status"),
        ("/api/v1/oms/order_items/?order_number=PP-1&limit=0", "limit"),
    ],
)
def test_an_invalid_value_answers_the_usual_400(member_client, channel, orders, monkeypatch, path, field):
    path = path.format(channel=channel.pk)
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    assert fast[:2] == usual[:2]
    assert fast[0] == 400
    assert field in member_client.get(path).json()


def test_a_staff_caller_sees_every_channel_through_the_usual_filters(staff_client, orders, monkeypatch):
    fast = run(staff_client, "/api/i1/orders/?number=PP-0", prepared=True, monkeypatch=monkeypatch)
    usual = run(staff_client, "/api/i1/orders/?number=PP-0", prepared=False, monkeypatch=monkeypatch)
    assert fast == usual
    assert staff_client.get("/api/i1/orders/?number=PP-0").json()["count"] == 2  # both channels' PP-0


def test_a_page_past_the_end_is_the_usual_404(member_client, orders, monkeypatch):
    path = "/api/i1/orders/?number=PP-1&page=2"
    fast = run(member_client, path, prepared=True, monkeypatch=monkeypatch)
    usual = run(member_client, path, prepared=False, monkeypatch=monkeypatch)
    assert fast[:2] == usual[:2]
    assert fast[0] == 404
