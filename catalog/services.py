"""Writes for the catalog: stock reservations (reserve, release)."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalog.exceptions import InsufficientStockError
from catalog.locks import active_reservations_lock, placeholders, product_stocks_lock
from catalog.models import Product, ReleaseReason, StockReservation


@dataclass(frozen=True)
class StockRequest:
    """``quantity`` units of ``product_id`` from ``stock_list_id``."""

    stock_list_id: int
    product_id: int
    quantity: int = 1


@dataclass
class ReservationResult:
    # (stock_list_id, product_id) -> ids of the reservations created, one per unit, in request order.
    reservations: dict[tuple[int, int], list[int]]
    # Entries for requests beyond available stock (only when oversell was allowed).
    oversold: list[dict]


StockKey = tuple[int, int]  # (stock_list_id, product_id)


def _reserved_by_stock(cursor, stock_ids: list[int]) -> dict[int, int]:
    """Units held by active reservations, per ProductStock id (one grouped statement)."""
    if not stock_ids:
        return {}
    cursor.execute(
        f'SELECT "stock_id", SUM("quantity") FROM "{StockReservation._meta.db_table}" '  # noqa: S608  # table names and placeholders only
        f'WHERE "released_at" IS NULL AND "stock_id" IN ({placeholders(stock_ids)}) GROUP BY "stock_id"',
        stock_ids,
    )
    return dict(cursor.fetchall())


def _reservations_insert(cursor, stock_ids: list[int]) -> list[int]:
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


def stock_reserve(
    *,
    requests: list[StockRequest],
    stock_ids: dict[StockKey, int],
    allow_oversell: bool = False,
    dry_run: bool = False,
    before_lock: Callable[[dict[StockKey, list[int]]], None] | None = None,
) -> ReservationResult:
    """Reserve units for ``requests``; must run inside the caller's transaction.

    Inserts one reservation per unit, runs ``before_lock(reservations)`` (the caller's writes that
    refer to them), then locks the stock rows (pk order) and compares ``stock − active
    reservations`` (ours excepted) with what is asked: it raises InsufficientStockError listing
    every short SKU unless ``allow_oversell``, and the caller's transaction rolls everything back.
    Checking after the lock, with a statement that sees every committed reservation, is what
    prevents overselling; locking last keeps the lock for two statements and the commit.

    ``stock_ids`` are the stock rows of the requests, as the caller read them. With ``dry_run`` it
    checks and reports but writes nothing. A missing stock row counts as 0 available; oversold
    units without a stock row get no reservation. Three statements (insert, lock, sum) whatever
    the number of requests.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("stock_reserve must run inside the caller's transaction")
    wanted: Counter[StockKey] = Counter()
    for req in requests:
        wanted[(req.stock_list_id, req.product_id)] += req.quantity
    stocks = {key: stock_ids[key] for key in wanted if key in stock_ids}
    result: dict[StockKey, list[int]] = {key: [] for key in wanted}
    with connection.cursor() as cursor:
        units = [(key, stocks[key]) for key, quantity in wanted.items() if key in stocks for _ in range(quantity)]
        if units and not dry_run:
            for (key, _), pk in zip(units, _reservations_insert(cursor, [pk for _, pk in units]), strict=True):
                result[key].append(pk)
        if before_lock is not None and not dry_run:
            before_lock(result)
        levels = product_stocks_lock(cursor, list(stocks.values()))
        reserved = _reserved_by_stock(cursor, list(levels))
    shortages = []
    for key, quantity in wanted.items():
        stock_id = stocks.get(key)
        if stock_id in levels:
            others = reserved.get(stock_id, 0) - len(result[key])
            available = levels[stock_id] - others
        else:
            available = 0
        if available < quantity:
            shortages.append({"key": key, "requested": quantity, "available": max(available, 0)})
    if not shortages:
        return ReservationResult(reservations=result, oversold=[])
    skus = dict(Product.objects.filter(pk__in={entry["key"][1] for entry in shortages}).values_list("pk", "sku"))
    report = [
        {
            "sku": skus.get(entry["key"][1], str(entry["key"][1])),
            "stock_list": entry["key"][0],
            "requested": entry["requested"],
            "available": entry["available"],
        }
        for entry in shortages
    ]
    if not allow_oversell:
        raise InsufficientStockError(report)
    return ReservationResult(reservations=result, oversold=report)


def reservations_release(*, reservation_ids: list[int], reason: ReleaseReason) -> list[int]:
    """Release the active reservations among ``reservation_ids``; return the ids released now.

    Already-released ones are skipped, so releasing twice never frees stock twice.
    """
    ids = [pk for pk in reservation_ids if pk is not None]
    if not ids:
        return []
    with transaction.atomic():
        active = active_reservations_lock(reservation_ids=ids)
        if active:
            StockReservation.objects.filter(pk__in=active).update(
                released_at=timezone.now(), release_reason=reason, modified_date=timezone.now()
            )
    return active
