"""The catalog's raw SQL: the stock reservation statements that run on every create_orders.

Plain statements instead of the ORM because they run on the hottest write path, and compiling
them with the ORM costs more than running them. Each takes the caller's cursor and runs one
statement; row locks are taken through ``catalog.locks``, which decides their order.
"""

from django.db import transaction
from django.utils import timezone

from catalog.models import ProductStock, StockReservation
from omnitron.db import placeholders


def stock_levels_for_update(cursor, stock_ids: list[int]) -> dict[int, int]:
    """{id: stock} of the ProductStock rows, locked FOR NO KEY UPDATE (where the database has it)
    in the order of ``stock_ids``, which must be sorted and distinct."""
    features = transaction.get_connection().features
    lock = " FOR NO KEY UPDATE" if features.has_select_for_no_key_update else ""
    cursor.execute(
        f'SELECT "id", "stock" FROM "{ProductStock._meta.db_table}" '  # noqa: S608  # table names and placeholders only
        f'WHERE "id" IN ({placeholders(stock_ids)}) ORDER BY "id"{lock}',
        stock_ids,
    )
    return dict(cursor.fetchall())


def reserved_by_stock(cursor, stock_ids: list[int]) -> dict[int, int]:
    """Units held by active reservations, per ProductStock id (one grouped statement)."""
    if not stock_ids:
        return {}
    cursor.execute(
        f'SELECT "stock_id", SUM("quantity") FROM "{StockReservation._meta.db_table}" '  # noqa: S608  # table names and placeholders only
        f'WHERE "released_at" IS NULL AND "stock_id" IN ({placeholders(stock_ids)}) GROUP BY "stock_id"',
        stock_ids,
    )
    return dict(cursor.fetchall())


def reservations_insert(cursor, stock_ids: list[int]) -> list[int]:
    """One active reservation of one unit per entry of ``stock_ids``; their ids, in that order."""
    connection = transaction.get_connection()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = ", ".join(["(%s, %s, %s, 1)"] * len(stock_ids))
    params = [value for stock_id in stock_ids for value in (now, now, stock_id)]
    cursor.execute(
        f'INSERT INTO "{StockReservation._meta.db_table}" ("created_date", "modified_date", "stock_id", "quantity") '  # noqa: S608  # table names and placeholders only
        f'VALUES {rows} RETURNING "id"',
        params,
    )
    return [pk for (pk,) in cursor.fetchall()]
