"""The orders app's raw SQL: the one statement that checks every reference of a create_orders request.

Plain SQL: it runs on every create_orders request, and one ``UNION ALL`` statement instead of one
query per kind of reference (each compiled by the ORM) is most of what makes the endpoint fast.
Each part selects the same six columns, ``(kind, id, text, flag, first, second)``; which of them
a kind fills is declared once, in ``_LOOKUPS``, and each row comes back as a small dataclass.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.db import transaction
from django.db.models import Model

from catalog.models import Catalog, PriceList, Product, ProductStock, StockList
from catalog.selectors import ListKind, channel_list_ids
from channels.models import Address, CargoCompany, Channel, Customer, PaymentOption
from omnitron.db import kept_cursor, placeholders
from orders.models import OrderItem


@dataclass(frozen=True)
class ChannelRow:
    pk: int
    conf: str | None  # the channel's conf, as JSON text
    # The channel's default lists: its catalog's (none without a catalog).
    price_list_id: int | None
    stock_list_id: int | None


@dataclass(frozen=True)
class AddressRow:
    pk: int
    customer_id: int


@dataclass(frozen=True)
class CargoCompanyRow:
    pk: int
    shipping_company: str | None


@dataclass(frozen=True)
class ProductRow:
    pk: int
    sku: str
    is_active: bool


@dataclass(frozen=True)
class ReferenceIds:
    """The ids a create_orders request names, by kind."""

    customers: set[int]
    addresses: set[int]
    cargo_companies: set[int]
    payment_options: set[int]
    products: set[int]
    price_lists: set[int]
    stock_lists: set[int]
    parents: set[int]


@dataclass
class References:
    """The ``ReferenceIds`` that exist and the channel may use, and the products' stock rows."""

    channel: ChannelRow | None = None
    customers: set[int] = field(default_factory=set)
    addresses: dict[int, AddressRow] = field(default_factory=dict)
    cargo_companies: dict[int, CargoCompanyRow] = field(default_factory=dict)
    payment_options: set[int] = field(default_factory=set)
    products: dict[int, ProductRow] = field(default_factory=dict)
    price_lists: set[int] = field(default_factory=set)
    stock_lists: set[int] = field(default_factory=set)
    parents: set[int] = field(default_factory=set)
    # (stock_list_id, product_id) -> ProductStock id, in the lists the items name or else the channel's
    stock_ids: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Lookup:
    """How the statement finds the ids of one kind of reference (a ``References`` attribute)."""

    model: type[Model]
    text: str | None = None  # a text column returned with each id
    flag: str | None = None  # a boolean column returned with each id
    owner: str | None = None  # an id column returned with each id
    scoped: bool = False  # only the channel's own rows
    active_only: bool = False  # only rows the channel's lookups show (``is_active``)
    channel_lists: ListKind | None = None  # only the lists the channel uses
    # The row from (id, text, flag, owner); None: the id alone is kept, in a set.
    row: Callable[[int, Any, Any, Any], Any] | None = None


_LOOKUPS: dict[str, _Lookup] = {
    "customers": _Lookup(Customer, scoped=True),
    "addresses": _Lookup(
        Address, scoped=True, owner="customer_id", row=lambda pk, text, flag, owner: AddressRow(pk, owner)
    ),
    "cargo_companies": _Lookup(
        CargoCompany,
        text="shipping_company",
        active_only=True,
        row=lambda pk, text, flag, owner: CargoCompanyRow(pk, text),
    ),
    "payment_options": _Lookup(PaymentOption, active_only=True),
    "products": _Lookup(
        Product, text="sku", flag="is_active", row=lambda pk, text, flag, owner: ProductRow(pk, text, bool(flag))
    ),
    "price_lists": _Lookup(PriceList, channel_lists="price"),
    "stock_lists": _Lookup(StockList, channel_lists="stock"),
    "parents": _Lookup(OrderItem, scoped=True),
}
if set(_LOOKUPS) != {item.name for item in fields(ReferenceIds)}:
    raise ValueError("_LOOKUPS must declare every kind of ReferenceIds")

# A sample channel id: compiling channel_list_ids with it shows where the channel id goes.
_SAMPLE_CHANNEL_ID = -7001


@functools.cache
def _channel_lists_sql(kind: ListKind, vendor: str) -> tuple[str, tuple[Any, ...]]:
    """``channel_list_ids`` compiled once per process: its SQL and its parameters, with
    ``_SAMPLE_CHANNEL_ID`` where the channel id is bound."""
    queryset = channel_list_ids(channel_id=_SAMPLE_CHANNEL_ID, kind=kind)
    sql, params = queryset.query.get_compiler(connection=transaction.get_connection()).as_sql()
    if _SAMPLE_CHANNEL_ID not in params:
        raise ValueError("channel_list_ids must bind the channel id as a parameter")
    return sql, tuple(params)


def _channel_lists_where(kind: ListKind, channel_id: int) -> tuple[str, list[Any]]:
    sql, params = _channel_lists_sql(kind, transaction.get_connection().vendor)
    return f' AND "id" IN ({sql})', [channel_id if param == _SAMPLE_CHANNEL_ID else param for param in params]


def _lookup_part(kind: str, ids: set[int], channel_id: int) -> tuple[str, list[Any]]:
    """The ``SELECT`` of the statement that finds the ``ids`` of one kind."""
    lookup = _LOOKUPS[kind]
    text_sql = f'"{lookup.text}"' if lookup.text else "CAST(NULL AS text)"
    flag_sql = f'"{lookup.flag}"' if lookup.flag else "CAST(NULL AS boolean)"
    owner_sql = f'"{lookup.owner}"' if lookup.owner else "CAST(NULL AS bigint)"
    params: list[Any] = sorted(ids)
    where = f'"id" IN ({placeholders(params)})'
    if lookup.scoped:
        where += ' AND "channel_id" = %s'
        params.append(channel_id)
    if lookup.active_only:
        where += ' AND "is_active" = %s'
        params.append(True)
    if lookup.channel_lists:
        lists_sql, lists_params = _channel_lists_where(lookup.channel_lists, channel_id)
        where += lists_sql
        params += lists_params
    sql = (
        f"SELECT '{kind}', \"id\", {text_sql}, {flag_sql}, {owner_sql}, CAST(NULL AS bigint) "  # noqa: S608  # table names and placeholders only
        f'FROM "{lookup.model._meta.db_table}" WHERE {where}'
    )
    return sql, params


def references_fetch(*, channel_id: int, wanted: ReferenceIds) -> References:
    """The channel, which of the ``wanted`` ids the channel may use and the products' stock rows,
    in one statement (``channel`` is None when the channel does not exist)."""
    sql, params = references_statement(channel_id=channel_id, wanted=wanted)
    cursor = kept_cursor()
    cursor.execute(sql, params)
    return references_read(cursor.fetchall())


def references_statement(*, channel_id: int, wanted: ReferenceIds) -> tuple[str, list[Any]]:
    """The SQL and parameters of ``references_fetch``'s statement (``bench/floor.py`` runs it too)."""
    channel_table = Channel._meta.db_table
    catalog_table = Catalog._meta.db_table
    channel_lists = (
        f'"{channel_table}" LEFT OUTER JOIN "{catalog_table}" '
        f'ON ("{catalog_table}"."id" = "{channel_table}"."catalog_id") WHERE "{channel_table}"."id" = %s'
    )
    parts = [
        f'SELECT \'channel\', "{channel_table}"."id", CAST("conf" AS text), CAST(NULL AS boolean), '  # noqa: S608  # table names and placeholders only
        f'"{catalog_table}"."price_list_id", "{catalog_table}"."stock_list_id" FROM {channel_lists}'
    ]
    params: list[Any] = [channel_id]
    for kind in _LOOKUPS:
        ids = getattr(wanted, kind)
        if ids:
            part_sql, part_params = _lookup_part(kind, ids, channel_id)
            parts.append(part_sql)
            params += part_params
    if wanted.products:
        # The items' stock rows, in the stock lists they name or else the channel's.
        products = sorted(wanted.products)
        lists = sorted(wanted.stock_lists)
        where = f'"product_id" IN ({placeholders(products)}) AND ('
        if lists:
            where += f'"stock_list_id" IN ({placeholders(lists)}) OR '
        where += f'"stock_list_id" = (SELECT "{catalog_table}"."stock_list_id" FROM {channel_lists}))'  # noqa: S608  # table names and placeholders only
        params += [*products, *lists, channel_id]
        parts.append(
            'SELECT \'stock\', "id", CAST(NULL AS text), CAST(NULL AS boolean), "stock_list_id", "product_id" '  # noqa: S608  # table names and placeholders only
            f'FROM "{ProductStock._meta.db_table}" WHERE {where}'
        )
    return " UNION ALL ".join(parts), params


def references_read(rows: Iterable[tuple]) -> References:
    """``References`` from the rows of ``references_statement``."""
    found = References()
    # The last two columns: (price_list_id, stock_list_id) of the channel, (stock_list_id,
    # product_id) of a stock row, (owner, NULL) of a reference.
    for kind, pk, text, flag, first, second in rows:
        if kind == "channel":
            found.channel = ChannelRow(pk, text, first, second)
        elif kind == "stock":
            found.stock_ids[(first, second)] = pk
        elif (row := _LOOKUPS[kind].row) is not None:
            getattr(found, kind)[pk] = row(pk, text, flag, first)
        else:
            getattr(found, kind).add(pk)
    return found
