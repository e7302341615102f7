"""Raw SQL of the change outbox: statement counts that do not grow with the number of rows."""

from collections.abc import Sequence
from datetime import datetime

from django.db import connection

from integrations.models import Change, IntegrationAction
from omnitron.db import kept_cursor

_CHANGE = Change._meta.db_table
_IA = IntegrationAction._meta.db_table


def _txid_sql() -> str:
    """SQL for the writing transaction's id: ``pg_current_xact_id()`` on PostgreSQL, 0 elsewhere."""
    return "pg_current_xact_id()::text::bigint" if connection.vendor == "postgresql" else "0"


def changes_insert(*, rows: Sequence[tuple[int, int, int | None, datetime, str]], now: datetime) -> None:
    """INSERT one outbox row per ``(content_type_id, object_id, channel_id, version_date, kind)``,
    in one statement.

    Ids (the change sequence) are given in the order of ``rows``.
    """
    if not rows:
        return
    kept_cursor(connection).execute(*changes_insert_statement(rows=rows, now=now))


def changes_insert_statement(
    *, rows: Sequence[tuple[int, int, int | None, datetime, str]], now: datetime
) -> tuple[str, list]:
    """The SQL and parameters of ``changes_insert``'s statement (``bench/floor.py`` runs it too)."""
    txid = _txid_sql()
    values = ", ".join([f"(%s, %s, %s, %s, %s, {txid}, %s)"] * len(rows))
    params: list = []
    adapt = connection.ops.adapt_datetimefield_value
    created = adapt(now)
    for content_type_id, object_id, channel_id, version_date, kind in rows:
        params += [channel_id, content_type_id, object_id, kind, adapt(version_date), created]
    sql = (
        f"INSERT INTO {_CHANGE} (channel_id, content_type_id, object_id, kind, version_date, txid, created_date) "  # noqa: S608  # table name and placeholders only
        f"VALUES {values}"
    )
    return sql, params


def pending_seq_update(*, content_type_id: int, object_ids: Sequence[int]) -> None:
    """Move ``pending_seq`` of the objects' integration actions (every channel) to their latest change."""
    if not object_ids:
        return
    placeholders = ", ".join(["%s"] * len(object_ids))
    latest = (
        f"(SELECT MAX(c.id) FROM {_CHANGE} c "  # noqa: S608  # table names only
        f"WHERE c.content_type_id = {_IA}.content_type_id AND c.object_id = {_IA}.object_id)"
    )
    sql = (
        f"UPDATE {_IA} SET pending_seq = {latest} "  # noqa: S608  # table names and placeholders only
        f"WHERE content_type_id = %s AND object_id IN ({placeholders}) AND pending_seq < {latest}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [content_type_id, *object_ids])


def snapshot_bounds() -> tuple[int, int | None] | None:
    """(oldest transaction id still running, this transaction's id or None) on PostgreSQL; None
    elsewhere. Rows of older transactions are all final; this transaction's own rows are visible."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
            "pg_current_xact_id_if_assigned()::text::bigint"
        )
        xmin, own = cursor.fetchone()
        return int(xmin), (int(own) if own is not None else None)
