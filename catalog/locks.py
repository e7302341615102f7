"""Row locks for catalog writes: stock rows and stock reservations, each in pk order.

They come after the order and item locks of ``orders.locks`` (orders, then items, then stock rows,
then reservations): a write that needs several kinds takes them in that order, so concurrent
writers queue instead of deadlocking.
"""

from django.db import transaction

from catalog.models import ProductStock, StockReservation


def placeholders(values) -> str:
    """``%s, %s, ...``: one parameter placeholder per value."""
    return ", ".join(["%s"] * len(values))


def product_stocks_lock(cursor, stock_ids: list[int]) -> dict[int, int]:
    """Lock ProductStock rows in pk order and read them: {id: stock} (one statement).

    The lock is FOR NO KEY UPDATE: it serializes the reservers of a row (and the ERP's stock
    updates), but not the inserts of reservations that refer to it, which take only a key-share lock.
    """
    if not stock_ids:
        return {}
    features = transaction.get_connection().features
    lock = " FOR NO KEY UPDATE" if features.has_select_for_no_key_update else ""
    ids = sorted(set(stock_ids))
    cursor.execute(
        f'SELECT "id", "stock" FROM "{ProductStock._meta.db_table}" '  # noqa: S608  # table names and placeholders only
        f'WHERE "id" IN ({placeholders(ids)}) ORDER BY "id"{lock}',
        ids,
    )
    return dict(cursor.fetchall())


def active_reservations_lock(*, reservation_ids: list[int]) -> list[int]:
    """Lock the active (unreleased) reservations among ``reservation_ids`` in pk order; their pks."""
    return list(
        StockReservation.objects.select_for_update(no_key=True)
        .filter(pk__in=set(reservation_ids), released_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
