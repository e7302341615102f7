"""Stock reservation services: reserve, the oversell guard, release, and the row-lock order."""

from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.exceptions import InsufficientStockError
from catalog.locks import active_reservations_lock, product_stocks_lock
from catalog.models import ReleaseReason, StockReservation
from catalog.selectors import product_stock_list
from catalog.services import StockRequest, reservations_release, stock_reserve, stock_reserve_check
from tests.factories import ProductFactory, ProductStockFactory, StockListFactory

pytestmark = pytest.mark.django_db


def available(stock) -> int:
    return product_stock_list().get(pk=stock.pk).available


@dataclass
class Reserved:
    reservations: dict[tuple[int, int], list[int]]
    oversold: list[dict]


def reserve_and_check(*, requests, stock_ids, allow_oversell=False, dry_run=False) -> Reserved:
    """``stock_reserve`` then ``stock_reserve_check``, as a caller runs them in its transaction."""
    reserved = stock_reserve(requests=requests, stock_ids=stock_ids, dry_run=dry_run)
    oversold = stock_reserve_check(reserved=reserved, allow_oversell=allow_oversell)
    return Reserved(reservations=reserved.reservations, oversold=oversold)


def reserve(*stocks_and_quantities, **kwargs) -> Reserved:
    """Reserve and check (ProductStock, quantity) pairs, with the stock ids the caller would pass."""
    requests = [
        StockRequest(stock.stock_list_id, stock.product_id, quantity) for stock, quantity in stocks_and_quantities
    ]
    stock_ids = {(stock.stock_list_id, stock.product_id): stock.pk for stock, _ in stocks_and_quantities}
    return reserve_and_check(requests=requests, stock_ids=stock_ids, **kwargs)


def refused(*stocks_and_quantities) -> list[dict]:
    """The shortages of a refused reservation; its savepoint is rolled back, as the caller's would be."""
    with pytest.raises(InsufficientStockError) as caught, transaction.atomic():
        reserve(*stocks_and_quantities)
    return caught.value.shortages


def active_ids(stock) -> list[int]:
    return list(
        StockReservation.objects.filter(stock=stock, released_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def test_reserve_holds_one_reservation_per_unit_and_lowers_available():
    stock = ProductStockFactory(stock=5)
    other = ProductStockFactory(stock=4)
    result = reserve((stock, 3), (other, 1))
    key = (stock.stock_list_id, stock.product_id)
    assert result.oversold == []
    assert result.reservations[key] == active_ids(stock)
    assert len(result.reservations[key]) == 3
    assert result.reservations[(other.stock_list_id, other.product_id)] == active_ids(other)
    assert list(StockReservation.objects.filter(stock=stock).values_list("quantity", flat=True)) == [1, 1, 1]
    assert (available(stock), available(other)) == (2, 3)


def test_repeated_requests_for_one_sku_are_summed():
    stock = ProductStockFactory(stock=3)
    request = StockRequest(stock.stock_list_id, stock.product_id, 2)
    result = reserve_and_check(
        requests=[request, request], stock_ids={(stock.stock_list_id, stock.product_id): stock.pk}, allow_oversell=True
    )
    assert result.oversold == [
        {"sku": stock.product.sku, "stock_list": stock.stock_list_id, "requested": 4, "available": 3}
    ]
    assert len(active_ids(stock)) == 4
    assert available(stock) == -1


def test_reserve_of_exactly_what_is_available_is_accepted():
    stock = ProductStockFactory(stock=2)
    reserve((stock, 2))
    assert available(stock) == 0
    assert refused((stock, 1)) == [
        {"sku": stock.product.sku, "stock_list": stock.stock_list_id, "requested": 1, "available": 0}
    ]
    assert available(stock) == 0


def test_oversell_refusal_lists_every_short_sku_and_reserves_nothing():
    short = ProductStockFactory(stock=2)
    enough = ProductStockFactory(stock=9)
    also_short = ProductStockFactory(stock=0)
    shortages = refused((short, 3), (enough, 1), (also_short, 1))
    assert shortages == [
        {"sku": short.product.sku, "stock_list": short.stock_list_id, "requested": 3, "available": 2},
        {"sku": also_short.product.sku, "stock_list": also_short.stock_list_id, "requested": 1, "available": 0},
    ]
    assert StockReservation.objects.count() == 0
    assert (available(short), available(enough), available(also_short)) == (2, 9, 0)


def test_other_active_reservations_count_and_released_ones_do_not():
    stock = ProductStockFactory(stock=5)
    held = reserve((stock, 2)).reservations[(stock.stock_list_id, stock.product_id)]
    assert refused((stock, 4)) == [
        {"sku": stock.product.sku, "stock_list": stock.stock_list_id, "requested": 4, "available": 3}
    ]
    assert active_ids(stock) == held
    reservations_release(reservation_ids=held, reason=ReleaseReason.CANCELED)
    reserve((stock, 5))
    assert available(stock) == 0


def test_missing_stock_row_counts_as_none_available():
    stock_list, product = StockListFactory(), ProductFactory()
    request = StockRequest(stock_list.pk, product.pk, 1)
    with pytest.raises(InsufficientStockError) as caught, transaction.atomic():
        reserve_and_check(requests=[request], stock_ids={})
    assert caught.value.shortages == [{"sku": product.sku, "stock_list": stock_list.pk, "requested": 1, "available": 0}]
    result = reserve_and_check(requests=[request], stock_ids={}, allow_oversell=True)
    assert result.reservations == {(stock_list.pk, product.pk): []}
    assert result.oversold == caught.value.shortages
    assert StockReservation.objects.count() == 0


def test_allowed_oversell_reserves_every_unit_and_reports_the_shortage():
    stock = ProductStockFactory(stock=1)
    result = reserve((stock, 3), allow_oversell=True)
    assert result.oversold == [
        {"sku": stock.product.sku, "stock_list": stock.stock_list_id, "requested": 3, "available": 1}
    ]
    assert result.reservations[(stock.stock_list_id, stock.product_id)] == active_ids(stock)
    assert available(stock) == -2


def test_dry_run_reports_without_writing():
    stock = ProductStockFactory(stock=1)
    result = reserve((stock, 2), dry_run=True, allow_oversell=True)
    assert result.reservations == {(stock.stock_list_id, stock.product_id): []}
    assert result.oversold == [
        {"sku": stock.product.sku, "stock_list": stock.stock_list_id, "requested": 2, "available": 1}
    ]
    with pytest.raises(InsufficientStockError), transaction.atomic():
        reserve((stock, 2), dry_run=True)
    assert StockReservation.objects.count() == 0
    assert available(stock) == 1


def test_reserve_inserts_unchecked_units_and_the_check_locks_after_the_callers_writes():
    # Given stock for 4 units, of which another caller holds 3 already
    stock = ProductStockFactory(stock=4)
    reserve((stock, 3))
    key = (stock.stock_list_id, stock.product_id)
    request = StockRequest(stock.stock_list_id, stock.product_id, 2)

    # When 2 more are reserved: one INSERT, no lock and no check yet
    with CaptureQueriesContext(connection) as reserving:
        reserved = stock_reserve(requests=[request], stock_ids={key: stock.pk})
    assert [query["sql"].split(" ", 2)[:2] for query in reserving.captured_queries] == [["INSERT", "INTO"]]
    assert (reserved.wanted, reserved.stock_ids) == ({key: 2}, {key: stock.pk})
    assert reserved.reservations == {key: active_ids(stock)[3:]}
    assert len(active_ids(stock)) == 5

    # Then the check locks the stock row and counts, in two statements, and refuses the shortage
    with CaptureQueriesContext(connection) as checking, pytest.raises(InsufficientStockError) as caught:
        stock_reserve_check(reserved=reserved)
    assert len(checking) == 3  # lock, sum, and the SKU of the shortage
    assert 'ORDER BY "id"' in checking.captured_queries[0]["sql"]
    assert caught.value.shortages == [
        {"sku": stock.product.sku, "stock_list": stock.stock_list_id, "requested": 2, "available": 1}
    ]


def test_reserve_and_check_run_three_statements_whatever_the_number_of_units():
    stocks = [ProductStockFactory(stock=9) for _ in range(3)]
    with CaptureQueriesContext(connection) as one:
        reserve((stocks[0], 1))
    with CaptureQueriesContext(connection) as many:
        reserve((stocks[0], 2), (stocks[1], 3), (stocks[2], 4))
    assert len(one) == len(many) == 3  # insert, lock, sum
    assert [available(stock) for stock in stocks] == [6, 6, 5]


@pytest.mark.django_db(transaction=True)
def test_reserve_and_check_refuse_to_run_outside_a_transaction():
    # Given autocommit (no transaction around the calls)
    stock = ProductStockFactory(stock=1)
    key = (stock.stock_list_id, stock.product_id)
    request = StockRequest(stock.stock_list_id, stock.product_id, 1)
    with transaction.atomic():
        reserved = stock_reserve(requests=[request], stock_ids={key: stock.pk})
        stock_reserve_check(reserved=reserved)

    # Then neither half runs there, and nothing more is reserved
    with pytest.raises(RuntimeError, match="stock_reserve must run inside the caller's transaction"):
        stock_reserve(requests=[request], stock_ids={key: stock.pk})
    with pytest.raises(RuntimeError, match="stock_reserve_check must run inside the caller's transaction"):
        stock_reserve_check(reserved=reserved)
    assert active_ids(stock) == reserved.reservations[key]


def test_release_frees_units_once():
    stock = ProductStockFactory(stock=3)
    ids = reserve((stock, 3)).reservations[(stock.stock_list_id, stock.product_id)]
    assert reservations_release(reservation_ids=[ids[2], None, ids[0]], reason=ReleaseReason.CANCELED) == [
        ids[0],
        ids[2],
    ]
    assert available(stock) == 2
    first = dict(StockReservation.objects.filter(pk__in=ids).values_list("pk", "released_at"))
    assert reservations_release(reservation_ids=ids, reason=ReleaseReason.ACKNOWLEDGED) == [ids[1]]
    assert reservations_release(reservation_ids=ids, reason=ReleaseReason.ACKNOWLEDGED) == []
    assert available(stock) == 3
    rows = {
        pk: (released_at, reason)
        for pk, released_at, reason in StockReservation.objects.values_list("pk", "released_at", "release_reason")
    }
    assert rows[ids[0]] == (first[ids[0]], ReleaseReason.CANCELED)
    assert rows[ids[2]] == (first[ids[2]], ReleaseReason.CANCELED)
    assert rows[ids[1]][1] == ReleaseReason.ACKNOWLEDGED


def test_release_of_nothing_runs_no_statement():
    with CaptureQueriesContext(connection) as queries:
        assert reservations_release(reservation_ids=[None], reason=ReleaseReason.CANCELED) == []
    assert len(queries) == 0


def test_locks_read_rows_in_pk_order():
    stocks = [ProductStockFactory(stock=n) for n in (7, 8, 9)]
    ids = [stock.pk for stock in stocks]
    with connection.cursor() as cursor:
        levels = product_stocks_lock(cursor, [ids[2], ids[0], ids[1], ids[0]])
    assert list(levels.items()) == [(ids[0], 7), (ids[1], 8), (ids[2], 9)]
    held = reserve((stocks[0], 1), (stocks[1], 2)).reservations
    reservation_ids = sorted(pk for pks in held.values() for pk in pks)
    reservations_release(reservation_ids=reservation_ids[:1], reason=ReleaseReason.CANCELED)
    assert active_reservations_lock(reservation_ids=reservation_ids[::-1]) == reservation_ids[1:]


@pytest.mark.postgres
def test_stock_rows_are_locked_for_no_key_update_in_pk_order():
    stocks = [ProductStockFactory(stock=5) for _ in range(3)]
    with CaptureQueriesContext(connection) as queries:
        reserve((stocks[2], 1), (stocks[0], 1), (stocks[1], 1))
    locks = [query["sql"] for query in queries.captured_queries if "FOR NO KEY UPDATE" in query["sql"]]
    assert len(locks) == 1
    ids = sorted(stock.pk for stock in stocks)
    assert locks[0].endswith(f'WHERE "id" IN ({ids[0]}, {ids[1]}, {ids[2]}) ORDER BY "id" FOR NO KEY UPDATE')


@pytest.mark.postgres
def test_reservation_rows_are_locked_for_no_key_update_in_pk_order():
    stock = ProductStockFactory(stock=5)
    ids = reserve((stock, 2)).reservations[(stock.stock_list_id, stock.product_id)]
    with CaptureQueriesContext(connection) as queries:
        active_reservations_lock(reservation_ids=ids[::-1])
    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert sql.endswith(
        f'IN ({ids[0]}, {ids[1]}) AND "catalog_stockreservation"."released_at" IS NULL) ORDER BY 1 ASC FOR NO KEY UPDATE'
    )
