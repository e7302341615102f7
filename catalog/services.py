"""Writes for the catalog: stock reservations (reserve, check, release)."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalog.exceptions import InsufficientStockError
from catalog.locks import active_reservations_lock, product_stocks_lock
from catalog.models import Product, ReleaseReason, StockReservation
from catalog.queries import reservations_insert, reserved_by_stock
from omnitron.db import kept_cursor

StockKey = tuple[int, int]  # (stock_list_id, product_id)


@dataclass(frozen=True)
class StockRequest:
    """``quantity`` units of ``product_id`` from ``stock_list_id``."""

    stock_list_id: int
    product_id: int
    quantity: int = 1


@dataclass(frozen=True)
class StockReserved:
    """Units reserved by ``stock_reserve``, not yet checked against stock (``stock_reserve_check``)."""

    # Units asked for, per (stock_list_id, product_id), in request order.
    wanted: dict[StockKey, int]
    # The ProductStock row of each key that has one.
    stock_ids: dict[StockKey, int]
    # Ids of the reservations created, one per unit, in request order (none for a dry run).
    reservations: dict[StockKey, list[int]]


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside the caller's transaction")


def stock_reserve(
    *, requests: list[StockRequest], stock_ids: dict[StockKey, int], dry_run: bool = False
) -> StockReserved:
    """Insert one reservation per unit of ``requests`` (one statement), without locking or checking.

    Must run inside the caller's transaction, and ``stock_reserve_check`` must follow in it before
    the commit: the caller writes what refers to the reservations in between, so that the stock
    rows stay locked only for the check and the commit. ``stock_ids`` are the stock rows of the
    requests, as the caller read them; units without a stock row get no reservation. With
    ``dry_run`` nothing is written.
    """
    _require_transaction("stock_reserve")
    wanted: Counter[StockKey] = Counter()
    for req in requests:
        wanted[(req.stock_list_id, req.product_id)] += req.quantity
    stocks = {key: stock_ids[key] for key in wanted if key in stock_ids}
    reservations: dict[StockKey, list[int]] = {key: [] for key in wanted}
    units = [(key, stocks[key]) for key, quantity in wanted.items() if key in stocks for _ in range(quantity)]
    if units and not dry_run:
        created = reservations_insert(kept_cursor(), [pk for _, pk in units])
        for (key, _), pk in zip(units, created, strict=True):
            reservations[key].append(pk)
    return StockReserved(wanted=dict(wanted), stock_ids=stocks, reservations=reservations)


def stock_reserve_check(*, reserved: StockReserved, allow_oversell: bool = False) -> list[dict]:
    """Lock the stock rows of ``reserved`` (pk order) and compare ``stock − active reservations``
    (its own excepted) with what was asked; return the shortages when ``allow_oversell``.

    Raises InsufficientStockError listing every short SKU otherwise, and the caller's transaction
    rolls the reservations back. Checking after the lock, with a statement that sees every
    committed reservation, is what prevents overselling. A missing stock row counts as 0
    available. Two statements (lock, sum) whatever the number of requests, a third for the SKUs
    of a shortage.
    """
    _require_transaction("stock_reserve_check")
    cursor = kept_cursor()
    levels = product_stocks_lock(cursor, list(reserved.stock_ids.values()))
    held = reserved_by_stock(cursor, list(levels))
    shortages: list[tuple[StockKey, int, int]] = []  # (key, requested, available)
    for key, quantity in reserved.wanted.items():
        stock_id = reserved.stock_ids.get(key)
        if stock_id in levels:
            others = held.get(stock_id, 0) - len(reserved.reservations[key])
            available = levels[stock_id] - others
        else:
            available = 0
        if available < quantity:
            shortages.append((key, quantity, max(available, 0)))
    if not shortages:
        return []
    skus = dict(Product.objects.filter(pk__in={key[1] for key, _, _ in shortages}).values_list("pk", "sku"))
    report = [
        {
            "sku": skus.get(product_id, str(product_id)),
            "stock_list": stock_list_id,
            "requested": requested,
            "available": available,
        }
        for (stock_list_id, product_id), requested, available in shortages
    ]
    if not allow_oversell:
        raise InsufficientStockError(report)
    return report


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
