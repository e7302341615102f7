"""Writes for the catalog: stock reservations (reserve, release)."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog.exceptions import InsufficientStockError
from catalog.models import Product, ProductStock, ReleaseReason, StockReservation
from catalog.selectors import reserved_by_stock


@dataclass(frozen=True)
class StockRequest:
    """``quantity`` units of ``product_id`` from ``stock_list_id``."""

    stock_list_id: int
    product_id: int
    quantity: int = 1


@dataclass
class ReservationResult:
    # (stock_list_id, product_id) -> reservations created, one per unit, in request order.
    reservations: dict[tuple[int, int], list[StockReservation]]
    # Entries for requests beyond available stock (only when oversell was allowed).
    oversold: list[dict]


def product_stocks_lock(keys: list[tuple[int, int]]) -> dict[tuple[int, int], ProductStock]:
    """Lock the ProductStock rows for (stock_list_id, product_id) pairs, in pk order.

    Always locking in pk order means two orders for the same products cannot deadlock.
    """
    if not keys:
        return {}
    condition = Q()
    for stock_list_id, product_id in sorted(set(keys)):
        condition |= Q(stock_list_id=stock_list_id, product_id=product_id)
    rows = ProductStock.objects.select_for_update().filter(condition).order_by("pk")
    return {(row.stock_list_id, row.product_id): row for row in rows}


def stock_reserve(
    *, requests: list[StockRequest], allow_oversell: bool = False, dry_run: bool = False
) -> ReservationResult:
    """Reserve units for ``requests``; must run inside the caller's transaction.

    Locks the stock rows (pk order), compares ``stock − active reservations`` with what is asked,
    and raises InsufficientStockError listing every short SKU unless ``allow_oversell``. With
    ``dry_run`` it checks and reports but writes nothing. A missing stock row counts as 0 available;
    oversold units without a stock row get no reservation.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock_reserve must run inside the caller's transaction")
    wanted: Counter[tuple[int, int]] = Counter()
    for req in requests:
        wanted[(req.stock_list_id, req.product_id)] += req.quantity
    stocks = product_stocks_lock(list(wanted))
    reserved = reserved_by_stock([stock.pk for stock in stocks.values()])
    shortages = []
    for key, quantity in wanted.items():
        stock = stocks.get(key)
        available = stock.stock - reserved.get(stock.pk, 0) if stock else 0
        if available < quantity:
            shortages.append({"key": key, "requested": quantity, "available": max(available, 0)})
    if shortages:
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
    else:
        report = []
    result: dict[tuple[int, int], list[StockReservation]] = {}
    to_create = []
    for key, quantity in wanted.items():
        stock = stocks.get(key)
        units = [StockReservation(stock=stock, quantity=1) for _ in range(quantity)] if stock else []
        result[key] = units
        to_create.extend(units)
    if to_create and not dry_run:
        StockReservation.objects.bulk_create(to_create)
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
