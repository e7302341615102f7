"""The naive DRF anchor (bench/naive.py) answers the same rows as the app, so app / naive compares like with like."""

import orjson
import psycopg2
import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from bench import dataset
from channels.models import Channel, ChannelMembership
from omnitron.tokens import token_create
from orders.models import Order, OrderItem
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SCALE = dataset.Scale(orders=200, products=60, customers=40)


@pytest.fixture
def bench_client(transactional_db):
    """The benchmark data set at a tiny scale and a client of a member of every channel."""
    from django.db import connection

    settings = connection.settings_dict
    raw = psycopg2.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], password=settings["PASSWORD"],
        dbname=settings["NAME"],
    )  # fmt: skip
    try:
        dataset.generate(raw, SCALE, log=lambda _: None)
    finally:
        raw.close()
    user = UserFactory()
    for channel in Channel.objects.all():
        ChannelMembership.objects.create(user=user, channel=channel)
    _, key = token_create(user=user, name="bench")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def naive_get(client, path: str):
    with override_settings(ROOT_URLCONF="bench.naive"):
        return client.get(path)


def test_naive_answers_the_same_rows_and_count_as_the_app_for_every_benchmarked_list(bench_client):
    # Given the tiny benchmark data set (channel 1 has more than 100 items)
    number = Order.objects.filter(channel_id=1).order_by("id").values_list("number", flat=True).first()
    since = OrderItem.objects.order_by("modified_date").values_list("modified_date", flat=True)[20]
    since_param = since.isoformat().replace("+00:00", "Z")
    assert OrderItem.objects.filter(channel_id=1).count() > 100
    paths = [
        "/api/v1/channel/1/order_items/?limit=100",
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
        # When the app and the naive build answer the same request
        app = bench_client.get(path)
        naive = naive_get(bench_client, path)
        # Then both answer 200 with the same rows in the same order, and the same count
        assert (app.status_code, naive.status_code) == (200, 200), (path, naive.content[:300])
        app_body, naive_body = orjson.loads(app.content), orjson.loads(naive.content)
        app_ids = [row["pk"] if "pk" in row else row["id"] for row in app_body["results"]]
        assert app_ids, path
        assert [row["id"] for row in naive_body["results"]] == app_ids, path
        assert naive_body["count"] == app_body["count"], path


def test_naive_nests_the_related_objects_a_typical_build_serializes(bench_client):
    # Given one detailed item page and one i1 order, from the naive build
    item = orjson.loads(naive_get(bench_client, "/api/v1/channel/1/order_items/detailed/?limit=1").content)["results"][
        0
    ]
    order = orjson.loads(naive_get(bench_client, "/api/i1/orders/?limit=1").content)["results"][0]
    stored = OrderItem.objects.get(pk=item["id"])
    # Then related objects are nested serializers, not ids
    assert (item["product"]["id"], item["order"]["number"]) == (stored.product_id, stored.order.number)
    assert item["price_list"]["id"] == stored.price_list_id
    assert [row["id"] for row in order["orderitem_set"]] == list(
        OrderItem.objects.filter(order_id=order["id"]).order_by("id").values_list("id", flat=True)
    )
    assert order["customer"]["id"] == Order.objects.get(pk=order["id"]).customer_id


def test_naive_refuses_a_request_without_a_token(bench_client):
    response = naive_get(APIClient(), "/api/v1/channel/1/order_items/")
    assert response.status_code == 401
