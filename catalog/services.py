"""Writes for the catalog: stock reservations (reserve, release)."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalog.exceptions import InsufficientStockError
from catalog.models import Product, ProductStock, ReleaseReason, StockReservation


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


@dataclass(frozen=True)
class LockedStock:
    pk: int
    stock: int


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def product_stocks_lock(keys: list[tuple[int, int]]) -> dict[tuple[int, int], LockedStock]:
    """Lock the ProductStock rows for (stock_list_id, product_id) pairs, in pk order (one statement).

    Always locking in pk order means two orders for the same products cannot deadlock.
    """
    if not keys:
        return {}
    by_list: dict[int, list[int]] = {}
    for stock_list_id, product_id in sorted(set(keys)):
        by_list.setdefault(stock_list_id, []).append(product_id)
    conditions, params = [], []
    for stock_list_id, product_ids in by_list.items():
        conditions.append(f'("stock_list_id" = %s AND "product_id" IN ({_in(product_ids)}))')
        params += [stock_list_id, *product_ids]
    connection = transaction.get_connection()
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "id", "stock_list_id", "product_id", "stock" FROM "{ProductStock._meta.db_table}" '  # noqa: S608  # nosec B608  # table names and placeholders only
            f'WHERE {" OR ".join(conditions)} ORDER BY "id"{lock}',
            params,
        )
        return {(stock_list_id, product_id): LockedStock(pk, stock) for pk, stock_list_id, product_id, stock in cursor}


def _reserved_by_stock(cursor, stock_ids: list[int]) -> dict[int, int]:
    """Units held by active reservations, per ProductStock id (``catalog.selectors.reserved_by_stock``
    as one plain statement)."""
    if not stock_ids:
        return {}
    cursor.execute(
        f'SELECT "stock_id", SUM("quantity") FROM "{StockReservation._meta.db_table}" '  # noqa: S608  # nosec B608  # table names and placeholders only
        f'WHERE "released_at" IS NULL AND "stock_id" IN ({_in(stock_ids)}) GROUP BY "stock_id"',
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
        f'INSERT INTO "{StockReservation._meta.db_table}" ("created_date", "modified_date", "stock_id", "quantity") '  # noqa: S608  # nosec B608  # table names and placeholders only
        f'VALUES {rows} RETURNING "id"',
        params,
    )
    return [pk for (pk,) in cursor.fetchall()]


def stock_reserve(
    *, requests: list[StockRequest], allow_oversell: bool = False, dry_run: bool = False
) -> ReservationResult:
    """Reserve units for ``requests``; must run inside the caller's transaction.

    Locks the stock rows (pk order), compares ``stock − active reservations`` with what is asked,
    and raises InsufficientStockError listing every short SKU unless ``allow_oversell``. With
    ``dry_run`` it checks and reports but writes nothing. A missing stock row counts as 0 available;
    oversold units without a stock row get no reservation. Three statements (lock, sum, insert),
    whatever the number of requests.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("stock_reserve must run inside the caller's transaction")
    wanted: Counter[tuple[int, int]] = Counter()
    for req in requests:
        wanted[(req.stock_list_id, req.product_id)] += req.quantity
    stocks = product_stocks_lock(list(wanted))
    with connection.cursor() as cursor:
        reserved = _reserved_by_stock(cursor, [stock.pk for stock in stocks.values()])
        shortages = []
        for key, quantity in wanted.items():
            stock = stocks.get(key)
            available = stock.stock - reserved.get(stock.pk, 0) if stock else 0
            if available < quantity:
                shortages.append({"key": key, "requested": quantity, "available": max(available, 0)})
        if shortages:
            skus = dict(
                Product.objects.filter(pk__in={entry["key"][1] for entry in shortages}).values_list("pk", "sku")
            )
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
        else:
            report = []
        units = [(key, stocks[key].pk) for key, quantity in wanted.items() if key in stocks for _ in range(quantity)]
        result: dict[tuple[int, int], list[int]] = {key: [] for key in wanted}
        if units and not dry_run:
            for (key, _), pk in zip(
                units, _reservations_insert(cursor, [stock_id for _, stock_id in units]), strict=True
            ):
                result[key].append(pk)
    return ReservationResult(reservations=result, oversold=report)


def reservations_release(*, reservation_ids: list[int], reason: ReleaseReason) -> list[int]:
    """Release the active reservations among ``reservation_ids``; return the ids released now.

    Already-released ones are skipped, so releasing twice never frees stock twice.
    """
    ids = [pk for pk in reservation_ids if pk is not None]
    if not ids:
        return []
    with transaction.atomic():
        active = list(
            StockReservation.objects.select_for_update()
            .filter(pk__in=ids, released_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if active:
            StockReservation.objects.filter(pk__in=active).update(
                released_at=timezone.now(), release_reason=reason, modified_date=timezone.now()
            )
    return active
