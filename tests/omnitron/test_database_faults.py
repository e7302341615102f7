"""The database going away (PostgreSQL, the service under gunicorn): a request cut off mid-write
answers 503 JSON and leaves nothing behind, /health/ reports 503 while the database refuses
connections, and the service recovers by itself when it is back."""

import http.client
import json
import threading
import time

import psycopg2
import pytest
from django.db import connection

from bench.server import start_server, stop_server
from bench.soak import local_port
from omnitron.tokens import token_create
from orders.models import Order
from tests.orders.create_orders_support import available, minimal_body, snapshot, url, world_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APP_NAME = "omnitron_fault_test"
UNAVAILABLE = {"detail": "The database is unavailable; retry shortly.", "code": "service_unavailable"}


def dsn(**overrides) -> str:
    settings = {**connection.settings_dict, **overrides}
    parts = {
        "dbname": settings["NAME"],
        "user": settings["USER"] or "postgres",
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
    }
    if settings["PASSWORD"]:
        parts["password"] = settings["PASSWORD"]
    return " ".join(f"{key}={value}" for key, value in parts.items())


def admin(statement: str, params: list | None = None, *, database: str | None = None) -> list:
    """Run ``statement`` on its own autocommit connection (not the app's, not the test's)."""
    conn = psycopg2.connect(dsn(NAME=database) if database else dsn())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


def app_backends(wait_event_type: str | None = None) -> list[int]:
    query = "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
    params = [APP_NAME]
    if wait_event_type:
        query += " AND wait_event_type = %s"
        params.append(wait_event_type)
    return [pid for (pid,) in admin(query, params, database="postgres")]


def wait_for(condition, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


class Http:
    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    def __call__(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
            conn.request(method, path, body=json.dumps(body).encode() if body else None, headers=headers)
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null"), dict(response.getheaders())
        finally:
            conn.close()


@pytest.fixture
def world(channel):
    return world_for(channel, stock=10)


@pytest.fixture
def server(member):
    """gunicorn (one worker, one persistent connection) on the test database, named for pg_stat_activity."""
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    database_url = (
        f"postgres://{settings['USER'] or 'postgres'}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}?application_name={APP_NAME}"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "omnitron.settings",
        "DB_CONNECT_TIMEOUT": "2",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    port = local_port()
    process = start_server(env, port, 1)
    _, key = token_create(user=member, name="faults")
    try:
        yield Http(port, key)
    finally:
        stop_server(process)


def test_database_lost_mid_write_answers_503_and_writes_nothing(world, server):
    # Given the app is inside create_orders: the order row inserted, waiting for the stock row lock
    before = snapshot()
    locker = psycopg2.connect(dsn())
    answer = {}
    try:
        with locker.cursor() as cursor:
            cursor.execute("SELECT id FROM catalog_productstock WHERE id = %s FOR UPDATE", [world.stock.pk])
        request = threading.Thread(
            target=lambda: answer.update(
                result=server("POST", url(world.channel.pk), minimal_body(world, number="FAULT-1"))
            )
        )
        request.start()
        (pid,) = wait_for(lambda: app_backends(wait_event_type="Lock"))

        # When its database connection is terminated
        admin("SELECT pg_terminate_backend(%s)", [pid], database="postgres")
        request.join(timeout=30)
    finally:
        locker.rollback()
        locker.close()

    # Then the client gets a 503 JSON answer, not a 500
    status, body, headers = answer["result"]
    assert status == 503
    assert body == UNAVAILABLE
    assert headers["Retry-After"] == "5"
    # And nothing of the order was written
    assert snapshot() == before
    assert not Order.objects.filter(number="FAULT-1").exists()
    assert available(world.stock) == 10

    # And the next request gets a fresh connection and succeeds
    status, body, _ = server("POST", url(world.channel.pk), minimal_body(world, number="FAULT-1"))
    assert status == 201
    assert Order.objects.filter(number="FAULT-1").count() == 1
    assert available(world.stock) == 9


def test_health_is_503_while_the_database_refuses_connections_and_the_service_recovers(world, server):
    database = connection.settings_dict["NAME"]
    before = snapshot()
    try:
        # Given the database stops accepting connections and the app's connection is cut
        admin(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false', database="postgres")
        for pid in app_backends():
            admin("SELECT pg_terminate_backend(%s)", [pid], database="postgres")

        # Then /health/ says so, and the API answers 503 JSON to reads and writes alike
        health = server("GET", "/health/")
        read = server("GET", "/api/v1/order_statuses/")
        write = server("POST", url(world.channel.pk), minimal_body(world, number="DOWN-1"))
    finally:
        admin(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true', database="postgres")

    assert health[:2] == (503, {"status": "unavailable", "database": "unreachable", "detail": "OperationalError"})
    assert read[:2] == (503, UNAVAILABLE)
    assert write[:2] == (503, UNAVAILABLE)
    assert snapshot() == before

    # When the database is back, the same worker recovers without a restart
    assert server("GET", "/health/")[:2] == (200, {"status": "ok", "database": "ok"})
    status, body, _ = server("POST", url(world.channel.pk), minimal_body(world, number="DOWN-1"))
    assert status == 201
    assert Order.objects.filter(number="DOWN-1").count() == 1
