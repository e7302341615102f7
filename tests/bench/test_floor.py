"""The benchmark's floor app answers the same JSON as the app, so its ratios are honest."""

import contextlib
import io

import orjson
import psycopg2
import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bench import dataset, floor
from catalog.models import ProductStock
from channels.models import Channel, ChannelMembership
from integrations.models import Change, IntegrationAction, IntegrationStatus
from omnitron.tokens import token_create
from orders.models import Order, OrderEvent, OrderItem
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SCALE = dataset.Scale(orders=400, products=120, customers=40)


def database_url() -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture
def world():
    """The benchmark data set at a tiny scale, a member of every channel with a token, and the floor."""
    raw = psycopg2.connect(database_url())
    try:
        dataset.generate(raw, SCALE, log=lambda _: None)
    finally:
        raw.close()
    user = UserFactory()
    for channel in Channel.objects.all():
        ChannelMembership.objects.create(user=user, channel=channel)
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_order"]))
    _, key = token_create(user=user, name="bench")
    floor._connection = floor.connect(database_url())
    yield key
    floor._connection.close()
    floor._connection = None


def floor_request(method: str, path: str, key: str, body: bytes = b"") -> tuple[int, bytes]:
    url_path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": url_path,
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
        "HTTP_AUTHORIZATION": f"Token {key}",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    statuses = []
    content = b"".join(floor.app(environ, lambda status, headers: statuses.append(status)))
    return int(statuses[0].split()[0]), content


def test_floor_answers_the_same_json_as_the_app_for_every_benchmarked_list(world):
    # Given the tiny benchmark data set (channel 1 has more than 100 items)
    key = world
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    number = Order.objects.filter(channel_id=1).order_by("id").values_list("number", flat=True).first()
    since = OrderItem.objects.order_by("modified_date").values_list("modified_date", flat=True)[20]
    since_param = since.isoformat().replace("+00:00", "Z")
    assert OrderItem.objects.filter(channel_id=1).count() > 100
    paths = [
        "/api/v1/channel/1/order_items/?limit=100",
        "/api/v1/channel/1/order_items/?limit=100&page=2",
        "/api/v1/channel/1/order_items/?limit=5&page=3",
        f"/api/v1/channel/1/order_items/?status=550&modified_date__gte={since_param}&limit=20",
        "/api/v1/channel/1/order_items/detailed/?limit=100",
        f"/api/i1/orders/?number={number}",
        "/api/i1/orders/?is_send=False&status=400&limit=100",
        "/api/i1/orders/?limit=7&page=2",
        f"/api/v1/oms/order_items/?order_number={number}",
        "/api/v1/oms/order_items/?limit=50&page=2",
    ]
    for path in paths:
        # When the app and the floor answer the same request
        response = client.get(path)
        status, content = floor_request("GET", path, key)
        # Then both answer 200 with the same bytes
        assert (status, response.status_code) == (200, 200), path
        assert orjson.loads(content) == orjson.loads(response.content), path
        assert content == response.content, path
        assert orjson.loads(content)["results"], path


def pending_ids(model) -> tuple[list[int], int]:
    """Channel 1's objects of ``model`` changed since sent and not processing, by id; and how many
    changed ones are processing."""
    changed = IntegrationAction.objects.filter(
        channel_id=1, content_type=ContentType.objects.get_for_model(model), pending_seq__gt=F("synced_seq")
    )
    processing = changed.filter(status=IntegrationStatus.PROCESSING).count()
    return list(
        changed.exclude(status=IntegrationStatus.PROCESSING).order_by("object_id").values_list("object_id", flat=True)
    ), processing


def test_floor_answers_the_same_json_as_the_app_for_the_change_feeds(world):
    # Given the data set's sync state: a few of channel 1's orders and stock rows changed since
    # they were sent, one of each in an open batch
    key = world
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    orders, orders_processing = pending_ids(Order)
    stocks, stocks_processing = pending_ids(ProductStock)
    assert (len(orders), orders_processing, len(stocks), stocks_processing) == (3, 1, 5, 1)
    feeds = "/api/v1/channel/1/orders/updates/", "/api/v1/channel/1/product_stocks/updates/"
    paths = [f"{feed}?limit={limit}" for feed in feeds for limit in (100, 2)]
    paths += [f"{feeds[0]}?limit=2&page=2", f"{feeds[0]}?limit=2&page=3"]
    bodies = {}
    for path in paths:
        # When the app and the floor answer the same request
        response = client.get(path)
        status, content = floor_request("GET", path, key)
        # Then both answer 200 with the same bytes
        assert (status, response.status_code) == (200, 200), path
        assert content == response.content, path
        bodies[path] = orjson.loads(content)
    # And they offer exactly the pending rows, a full page counted and paged
    assert [row["pk"] for row in bodies[f"{feeds[0]}?limit=100"]["results"]] == orders
    assert [row["pk"] for row in bodies[f"{feeds[1]}?limit=100"]["results"]] == stocks
    first, second, past = (bodies[f"{feeds[0]}?limit=2{page}"] for page in ("", "&page=2", "&page=3"))
    assert (first["count"], first["next"], [row["pk"] for row in first["results"]]) == (
        3,
        f"http://testserver{feeds[0]}?limit=2&page=2",
        orders[:2],
    )
    assert (second["count"], second["previous"], [row["pk"] for row in second["results"]]) == (
        3,
        f"http://testserver{feeds[0]}?limit=2",
        orders[2:],
    )
    assert (past["count"], past["next"], past["results"]) == (3, None, [])
    assert (bodies[f"{feeds[1]}?limit=2"]["count"], bodies[f"{feeds[1]}?limit=2"]["next"]) == (2, None)


def test_floor_create_orders_writes_the_rows_the_app_writes(world):
    # Given one order body, posted to the app and (with another number) to the floor
    key = world
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    def body(number: str) -> dict:
        return {
            "order": {
                "number": number,
                "channel": 1,
                "customer": 5,
                "shipping_address": 5,
                "billing_address": 5,
                "cargo_company": 1,
                "payment_option": 1,
                "currency": "try",
                "amount": "300.00",
                "shipping_amount": "29.90",
            },
            "order_item": [{"product": pk, "price": "100.00", "quantity": 1, "tax_rate": "20"} for pk in (1, 2, 3)],
        }

    # When both create it (the app's content types are cached per process after its first request)
    ContentType.objects.get_for_models(Order, OrderItem)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/channel/1/create_orders/", body("APP-1"), format="json")
    with recorded_floor_statements() as floor_statements:
        status, content = floor_request("POST", "/api/v1/channel/1/create_orders/", key, orjson.dumps(body("FLOOR-1")))

    # Then both wrote an order, three unit rows with reservations and one event, with the same values
    assert (response.status_code, status) == (201, 201)

    def written(number: str) -> tuple:
        order = Order.objects.get(number=number)
        items = list(
            OrderItem.objects.filter(order=order)
            .order_by("id")
            .values_list("product_id", "status", "price", "tax_rate", "price_list_id", "stock_list_id", "channel_id")
        )
        reserved = OrderItem.objects.filter(order=order, reservation__isnull=False).count()
        events = list(OrderEvent.objects.filter(order=order).values_list("event_type", flat=True))
        item_ids = OrderItem.objects.filter(order=order).values_list("pk", flat=True)
        changes = list(
            Change.objects.filter(Q(content_type__model="order", object_id=order.pk) | Q(object_id__in=item_ids))
            .order_by("id")
            .values_list("content_type__model", "kind", "channel_id")
        )
        return order.status, order.amount, order.customer_id, items, reserved, events, changes

    assert written("FLOOR-1") == written("APP-1")
    assert written("APP-1")[-1] == [("orderitem", "created", 1)] * 3 + [("order", "created", 1)]
    assert orjson.loads(content)["pk"] == Order.objects.get(number="FLOOR-1").pk
    # and they ran the same statements, from the reference check to the stock check
    app_statements = [query["sql"] for query in queries.captured_queries]
    assert create_statements(floor_statements) == create_statements(app_statements)
    assert len(create_statements(app_statements)) == 8


def create_statements(statements: list[str]) -> list[tuple[str, str]]:
    """(verb, table) of create_orders' statements, from the reference check on (no transaction control)."""
    start = next(index for index, sql in enumerate(statements) if sql.startswith("SELECT 'channel'"))
    named = []
    for sql in statements[start:]:
        verb = sql.split(None, 1)[0].upper()
        if verb in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"):
            continue
        into = sql.split(" INTO ", 1)[-1] if verb == "INSERT" else sql.split(" FROM ", 1)[-1]
        named.append((verb, into.split()[0].strip('"')))
    return named


@contextlib.contextmanager
def recorded_floor_statements():
    """The SQL the floor runs inside the block."""
    statements: list[str] = []

    class Recording(psycopg2.extensions.cursor):
        def execute(self, sql, params=None):
            statements.append(sql.decode() if isinstance(sql, bytes) else sql)
            return super().execute(sql, params)

    original = floor.cursor
    floor.cursor = lambda: floor._connection.cursor(cursor_factory=Recording)
    try:
        yield statements
    finally:
        floor.cursor = original


def test_bench_token_is_a_working_integration_token(world):
    """The token the bench inserts with raw SQL satisfies the model and authenticates."""
    from bench.run import bench_token
    from omnitron.models import APIToken, TokenKind

    key = bench_token(database_url())

    token = APIToken.objects.get(name="bench", key_prefix=key[:8])
    assert (token.kind, token.user.username, token.revoked_at, token.expires_at) == (
        TokenKind.INTEGRATION,
        "bench",
        None,
        None,
    )
    response = APIClient().get("/api/v1/channel/1/order_items/?limit=1", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
