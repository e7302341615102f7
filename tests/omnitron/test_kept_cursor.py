"""``omnitron.db.kept_cursor``: one Django cursor per connection and key, reused by the hot paths'
statements, inside the caller's transaction like any cursor of the connection."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from channels.models import Channel
from omnitron.db import kept_cursor
from tests.factories import ChannelFactory


@pytest.mark.django_db
def test_a_kept_cursor_is_reused_per_key_and_set_up_once():
    prepared = []
    first = kept_cursor(connection, "probe", prepared.append)
    assert kept_cursor(connection, "probe", prepared.append) is first
    assert prepared == [first]
    assert kept_cursor(connection) is not first
    first.execute("SELECT 1")
    assert first.fetchone() == (1,)


@pytest.mark.django_db
def test_a_kept_cursor_logs_while_statements_are_logged():
    kept_cursor(connection).execute("SELECT 1")
    with CaptureQueriesContext(connection) as queries:
        kept_cursor(connection).execute("SELECT 2")
    kept_cursor(connection).execute("SELECT 3")
    assert [query["sql"] for query in queries.captured_queries] == ["SELECT 2"]


@pytest.mark.django_db(transaction=True)
def test_a_kept_cursor_writes_inside_the_callers_transaction():
    channel = ChannelFactory(name="before")
    table = Channel._meta.db_table
    with pytest.raises(RuntimeError), transaction.atomic():
        kept_cursor().execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["inside", channel.pk])  # noqa: S608
        raise RuntimeError("roll back")
    assert Channel.objects.get(pk=channel.pk).name == "before"
    with transaction.atomic():
        kept_cursor().execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["committed", channel.pk])  # noqa: S608
    assert Channel.objects.get(pk=channel.pk).name == "committed"
    connection.close()
    kept_cursor().execute(f"SELECT name FROM {table} WHERE id = %s", [channel.pk])  # noqa: S608
    assert kept_cursor().fetchone() == ("committed",)
