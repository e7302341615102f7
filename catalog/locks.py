"""Row locks for catalog writes: stock rows and stock reservations, each in pk order.

They come after the order and item locks of ``orders.locks`` (orders, then items, then stock rows,
then reservations): a write that needs several kinds takes them in that order, so concurrent
writers queue instead of deadlocking.
"""

from catalog.models import StockReservation
from catalog.queries import stock_levels_for_update


def product_stocks_lock(cursor, stock_ids: list[int]) -> dict[int, int]:
    """Lock ProductStock rows in pk order and read them: {id: stock} (one statement, none for no ids).

    The lock is FOR NO KEY UPDATE: it serializes the reservers of a row (and the ERP's stock
    updates), but not the inserts of reservations that refer to it, which take only a key-share lock.
    """
    if not stock_ids:
        return {}
    return stock_levels_for_update(cursor, sorted(set(stock_ids)))


def active_reservations_lock(*, reservation_ids: list[int]) -> list[int]:
    """Lock the active (unreleased) reservations among ``reservation_ids`` in pk order; their pks."""
    return list(
        StockReservation.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(set(reservation_ids)), released_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def catalog_row_version_lock(*, model, pk: int):
    """Lock a product, image, price or stock row (FOR NO KEY UPDATE) and return its modified_date,
    or None when the row is gone. A catalog row is locked alone, never with stock rows."""
    return model.objects.select_for_update(no_key=True).filter(pk=pk).values_list("modified_date", flat=True).first()
