"""``omnitron.postgresql``: the per-request health check of a persistent connection needs no round
trip while the connection is healthy, and still catches a connection the server has ended."""

import select
import time

import psycopg2
import pytest
from django.db import connection, connections

from tests.omnitron.test_database_faults import admin

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class NoRoundTrip:
    """Stands in for the driver connection: any cursor (so any statement) fails the test."""

    def __init__(self, raw):
        self.closed = raw.closed
        self.fileno = raw.fileno

    def cursor(self, *args, **kwargs):
        raise AssertionError("the health check sent a statement")


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_engine_is_in_use():
    assert connection.settings_dict["ENGINE"] == "omnitron.postgresql"
    assert type(connections["default"]).__module__ == "omnitron.postgresql.base"


def test_a_healthy_idle_connection_is_usable_without_a_statement():
    backend_pid()
    raw = connection.connection
    connection.connection = NoRoundTrip(raw)
    try:
        assert connection.is_usable() is True
    finally:
        connection.connection = raw


def test_a_closed_connection_is_not_usable():
    backend_pid()
    raw = connection.connection
    connection.connection = None
    try:
        assert connection.is_usable() is False
    finally:
        connection.connection = raw


def test_a_connection_the_server_ended_is_not_usable_and_the_next_query_reconnects():
    pid = backend_pid()
    assert admin("SELECT pg_terminate_backend(%s)", [pid]) == [(True,)]
    readable, _, _ = select.select([connection.connection.fileno()], [], [], 5)
    assert readable  # the server's goodbye arrived
    assert connection.is_usable() is False
    # What Django does before a request's first query with CONN_HEALTH_CHECKS.
    connection.health_check_enabled, connection.health_check_done = True, False
    assert backend_pid() != pid
    assert connection.is_usable() is True


def test_pending_data_falls_back_to_the_full_check(monkeypatch):
    backend_pid()
    calls = []
    parent = type(connections["default"]).__mro__[1]
    assert parent.__module__ == "django.db.backends.postgresql.base"
    monkeypatch.setattr(parent, "is_usable", lambda self: calls.append(self) or True)
    raw = connection.connection
    monkeypatch.setattr(select, "select", lambda r, w, x, t: (r, [], []))
    assert connection.is_usable() is True
    assert calls == [connections["default"]]
    assert raw.closed == 0


def test_the_terminated_connection_case_is_real():
    """The sanity check of the test above: a terminated psycopg2 connection does fail a statement."""
    pid = backend_pid()
    admin("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)
    with pytest.raises(psycopg2.OperationalError):
        connection.connection.cursor().execute("SELECT 1")
    connection.close()
