"""The PostgreSQL backend (``omnitron.postgresql``): a quiet persistent connection passes the health
check without a round trip; one the server has closed or written to is checked by ``SELECT 1``."""

import time

import psycopg2
import pytest
from django.db import connections
from django.db.backends.postgresql import base as django_postgresql
from django.test.utils import CaptureQueriesContext

from tests.omnitron.test_database_faults import admin

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own():
    """A connection of its own (not the test's), connected and idle."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def select_one_runs(monkeypatch) -> list[bool]:
    """Records each ``SELECT 1`` health check (Django's) and its answer."""
    runs: list[bool] = []
    original = django_postgresql.DatabaseWrapper.is_usable

    def recorded(self):
        runs.append(original(self))
        return runs[-1]

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", recorded)
    return runs


def test_the_default_database_runs_on_the_omnitron_backend(own):
    assert type(own).__module__ == "omnitron.postgresql.base"
    assert own.vendor == "postgresql"


def test_a_quiet_connection_is_usable_without_a_statement(own, monkeypatch):
    runs = select_one_runs(monkeypatch)
    with CaptureQueriesContext(own) as queries:
        assert own.is_usable() is True
    assert (runs, queries.captured_queries) == ([], [])


def test_a_connection_the_server_terminated_is_not_usable(own, monkeypatch):
    runs = select_one_runs(monkeypatch)
    pid = own.connection.info.backend_pid
    assert admin("SELECT pg_terminate_backend(%s)", [pid]) == [(True,)]
    deadline = time.monotonic() + 10
    while not own.connection.closed and time.monotonic() < deadline:
        if own.is_usable() is False:
            break
        time.sleep(0.05)
    assert own.is_usable() is False
    assert False in runs  # decided by Django's SELECT 1 once the server had written


def test_a_failed_transaction_is_checked_by_select_one(own, monkeypatch):
    runs = select_one_runs(monkeypatch)
    own.connection.autocommit = False
    with own.connection.cursor() as cursor, pytest.raises(psycopg2.Error):
        cursor.execute("SELECT 1/0")
    assert own.is_usable() is False
    assert runs == [False]
    own.connection.rollback()
    assert own.is_usable() is True
    assert runs == [False]


def test_a_closed_connection_is_not_usable(own):
    own.connection.close()
    assert own.is_usable() is False
