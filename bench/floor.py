"""The floor: the benchmarked endpoints as a bare WSGI app (no Django request cycle), for comparison.

It runs the same SQL statements as the app for the same request (token and membership lookups,
the page, the count when the page is full, one grouped query per nested kind), builds the response
dicts with the app's own shapes and builders (``orders.shapes``: the same columns, the same pure
builders, so the two cannot drift) and writes them with orjson, through one psycopg2 connection per
worker. What it leaves out is what the framework adds: middleware, DRF's request/response cycle,
django-filter's forms, the ORM's query building and model machinery, input validation beyond what
the SQL needs. Django is set up once at import (the shapes name model choices), never per request.
``tests/bench/test_floor.py`` checks that it answers the same JSON as the app.

Served by the same gunicorn as the app:

    FLOOR_DATABASE_URL=postgres://... gunicorn -c gunicorn.conf.py bench.floor:app

Paths (the app's): ``/api/v1/channel/{id}/order_items/`` and ``.../detailed/`` (``status`` as a
code, ``modified_date__gte``), ``/api/i1/orders/`` (``number``, ``is_send``, ``status``),
``/api/v1/oms/order_items/`` (``order_number``), the channel-app feeds
``/api/v1/channel/{id}/orders/updates/`` and ``.../product_stocks/updates/``, all with
``page``/``limit``; and
``POST /api/v1/channel/{id}/create_orders/``, which runs the app's statements (the reference
check; the order, its stock reservations, its unit rows, the ``created`` event, their outbox rows
and the stock check in one transaction) without the app's validation.
"""

import hashlib
import os
import re
import time
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import django
import orjson
import psycopg2
import psycopg2.extras
from django.apps import apps

if not apps.ready:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omnitron.settings")
    django.setup()

from catalog.queries import reservations_insert, reserved_by_stock, stock_levels_for_update
from catalog.serializers import PRODUCT_STOCK_COLUMNS, product_stock_rows
from integrations.queries import changes_insert_statement
from orders.queries import ReferenceIds, references_read, references_statement
from orders.selectors.related import IMAGE_COLUMNS
from orders.serializers.create import ORDER_COLUMNS, OrderRow, order_flat
from orders.shapes import (
    ADDRESS_I1_COLUMNS,
    CHANNEL_I1_COLUMNS,
    CUSTOMER_I1,
    LIST_BRIEF,
    OMS_LIST_REF,
    OMS_ORDER_ITEM,
    OMS_PRODUCT,
    ORDER_BRIEF,
    ORDER_I1,
    ORDER_ITEM_FLAT,
    ORDER_ITEM_I1,
    PRICE_LIST_BRIEF,
    PRODUCT_BRIEF,
    ItemsRelated,
    OmsRelated,
    OrdersI1Related,
    oms_order_items_detailed,
    order_items_detailed,
    order_items_flat,
    orders_i1,
)

_connection = None


def connect(dsn: str | None = None):
    """One connection per process: UTC session, jsonb parsed with orjson, autocommit for reads."""
    connection = psycopg2.connect(dsn or os.environ["FLOOR_DATABASE_URL"], options="-c timezone=UTC")
    connection.autocommit = True
    psycopg2.extras.register_default_jsonb(connection, loads=orjson.loads)
    return connection


def cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = connect()
    return _connection.cursor()


def fetch(cur, sql: str, params=()) -> list[dict]:
    cur.execute(sql, params)
    names = [column.name for column in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def select(table: str, columns: str) -> str:
    """``SELECT "t"."c" AS "c", ...``; ``other.c AS alias`` entries pass through."""
    parts = []
    for column in columns.split():
        if "=" in column:
            alias, expression = column.split("=")
            parts.append(f'{expression} AS "{alias}"')
        else:
            parts.append(f'"{table}"."{column}" AS "{column}"')
    return f'SELECT {", ".join(parts)} FROM "{table}"'


def select_columns(table: str, columns: tuple[str, ...], joined: dict[str, str] | None = None) -> str:
    """``select()`` of a shape's columns; ``joined`` gives the SQL of columns read through a join."""
    joined = joined or {}
    return select(table, " ".join(f"{column}={joined[column]}" if column in joined else column for column in columns))


def in_list(values) -> tuple:
    return tuple(sorted(values))


# --- Auth ---------------------------------------------------------------------------------------

TOKEN_SQL = (
    select(
        "omnitron_apitoken",
        'id user_id expires_at revoked_at last_used_at user__id="omnitron_apitoken"."user_id" '
        'user__is_active="auth_user"."is_active" user__is_staff="auth_user"."is_staff" '
        'user__is_superuser="auth_user"."is_superuser" user__username="auth_user"."username"',
    )
    + ' INNER JOIN "auth_user" ON ("omnitron_apitoken"."user_id" = "auth_user"."id")'
    ' WHERE "omnitron_apitoken"."digest" = %s'
)
MEMBERSHIP_SQL = (
    'SELECT "channels_channelmembership"."channel_id" AS "channel_id" FROM "channels_channelmembership" '
    'WHERE "channels_channelmembership"."user_id" = %s ORDER BY "channels_channelmembership"."id" ASC'
)


class HttpError(Exception):
    def __init__(self, status: str, detail: str):
        self.status = status
        self.detail = detail


AUTH_CACHE_SECONDS = int(os.environ.get("API_AUTH_CACHE_SECONDS", "5"))
_tokens: dict[str, tuple[float, tuple, list[int] | None]] = {}


def authenticate(cur, environ) -> tuple[int, list[int] | None]:
    """(user id, visible channel ids or None for staff), or HttpError 401. Like the app's, a token
    with its channels is reused for ``API_AUTH_CACHE_SECONDS`` (omnitron/auth_cache.py)."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Token "):
        raise HttpError("401 Unauthorized", "Authentication credentials were not provided.")
    digest = hashlib.sha256(header[6:].encode()).hexdigest()
    hit = _tokens.get(digest)
    if hit is not None and hit[0] > time.monotonic():
        row, channel_ids = hit[1], hit[2]
    else:
        cur.execute(TOKEN_SQL, [digest])
        row = cur.fetchone()
        channel_ids = None
        if row is not None and not (row[7] or row[8]):
            cur.execute(MEMBERSHIP_SQL, [row[1]])
            channel_ids = [channel_id for (channel_id,) in cur.fetchall()]
        if row is not None and AUTH_CACHE_SECONDS > 0:
            _tokens[digest] = (time.monotonic() + AUTH_CACHE_SECONDS, row, channel_ids)
    now = datetime.now(UTC)
    if row is None or row[3] is not None or (row[2] is not None and row[2] <= now) or not row[6]:
        raise HttpError("401 Unauthorized", "Invalid token.")
    return row[1], channel_ids


COUNT_CACHE_SECONDS = int(os.environ.get("API_COUNT_CACHE_SECONDS", "0"))
_counts: dict[tuple, tuple[float, int]] = {}


def cached_count(cur, sql: str, params: list) -> int:
    """COUNT(*), reused for ``API_COUNT_CACHE_SECONDS`` per query like the app's (per process, as locmem)."""
    key = (sql, repr(params))
    now = time.monotonic()
    hit = _counts.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    cur.execute(sql, params)
    count = cur.fetchone()[0]
    if COUNT_CACHE_SECONDS > 0:
        _counts[key] = (now + COUNT_CACHE_SECONDS, count)
    return count


class Page:
    """The app's page/limit pagination: COUNT only when the page is full or past the end."""

    def __init__(self, environ, query: dict[str, str]):
        self.environ = environ
        self.limit = int(query.get("limit") or 10)
        self.page = int(query.get("page") or 1)
        if not 1 <= self.limit <= 1000 or self.page < 1:
            raise HttpError("400 Bad Request", "page/limit out of range")
        self.offset = (self.page - 1) * self.limit

    def run(self, cur, select_sql: str, where: list[str], params: list, order: str, count_sql: str) -> list[dict]:
        condition = f" WHERE ({' AND '.join(where)})" if len(where) > 1 else (f" WHERE {where[0]}" if where else "")
        offset = f" OFFSET {self.offset}" if self.offset else ""
        rows = fetch(cur, f"{select_sql}{condition} ORDER BY {order} LIMIT {self.limit}{offset}", params)
        if rows and len(rows) < self.limit:
            self.count = self.offset + len(rows)
        elif not rows and self.page == 1:
            self.count = 0
        else:
            self.count = max(cached_count(cur, f"{count_sql}{condition}", params), self.offset + len(rows))
        if self.page > 1 and self.offset >= self.count:
            raise HttpError("404 Not Found", "Invalid page.")
        return rows

    def _url(self, page: int | None) -> str:
        environ = self.environ
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        query.pop("page", None)
        if page is not None:
            query["page"] = [str(page)]
        url = f"http://{environ['HTTP_HOST']}{environ['PATH_INFO']}"
        scheme, netloc, path, _, fragment = urlsplit(url)
        return urlunsplit((scheme, netloc, path, urlencode(sorted(query.items()), doseq=True), fragment))

    def body(self, results: list[dict]) -> dict:
        has_next = self.page * self.limit < self.count
        previous = None if self.page <= 1 else self._url(None if self.page == 2 else self.page - 1)
        return {
            "count": self.count,
            "next": self._url(self.page + 1) if has_next else None,
            "previous": previous,
            "results": results,
        }


# --- Sales-channel order items -------------------------------------------------------------------

ITEM_JOIN = ' INNER JOIN "orders_order" ON ("orders_orderitem"."order_id" = "orders_order"."id")'
ITEM_SELECT = select_columns("orders_orderitem", ORDER_ITEM_FLAT.columns)
ITEM_COUNT = 'SELECT COUNT(*) AS "__count" FROM "orders_orderitem"'
IMAGES_SQL = (
    select_columns("catalog_productimage", IMAGE_COLUMNS)
    + ' WHERE "catalog_productimage"."product_id" IN %s ORDER BY 2 ASC, 4 ASC, 1 ASC'
)


def item_filters(query: dict[str, str], channel_id: int) -> tuple[list[str], list]:
    where, params = ['"orders_orderitem"."channel_id" = %s'], [channel_id]
    for name in query:
        if name not in ("limit", "page", "status", "modified_date__gte"):
            raise HttpError("400 Bad Request", f"the floor does not implement {name}")
    if query.get("status"):
        where.append('"orders_orderitem"."status" = %s')
        params.append(query["status"])
    if query.get("modified_date__gte"):
        where.append('"orders_orderitem"."modified_date" >= %s::timestamptz')
        params.append(query["modified_date__gte"])
    return where, params


def by_id(cur, table: str, columns: tuple[str, ...], ids, joined: dict[str, str] | None = None) -> dict[int, dict]:
    """Rows of ``table`` with ``ids`` (``joined``: columns read through joins, with the join SQL)."""
    if not ids:
        return {}
    joined = joined or {}
    sql = select_columns(table, columns, joined.get("columns", {})) + joined.get("sql", "")
    sql += f' WHERE "{table}"."id" IN %s ORDER BY 1 ASC'
    return {row["id"]: row for row in fetch(cur, sql, [in_list(ids)])}


def images_by_product(cur, product_ids: set[int]) -> dict[int, list[dict]]:
    images = defaultdict(list)
    for image in fetch(cur, IMAGES_SQL, [in_list(product_ids)]):
        images[image["product_id"]].append(image)
    return dict(images)


def detailed_items(cur, rows: list[dict]) -> list[dict]:
    if not rows:
        return []
    product_ids = {row["product_id"] for row in rows}
    related = ItemsRelated(
        orders=by_id(cur, "orders_order", ORDER_BRIEF.columns, {row["order_id"] for row in rows}),
        products=by_id(cur, "catalog_product", PRODUCT_BRIEF.columns, product_ids),
        images=images_by_product(cur, product_ids),
        price_lists=by_id(
            cur,
            "catalog_pricelist",
            PRICE_LIST_BRIEF.columns,
            {row["price_list_id"] for row in rows if row["price_list_id"]},
        ),
        stock_lists=by_id(
            cur, "catalog_stocklist", LIST_BRIEF.columns, {row["stock_list_id"] for row in rows if row["stock_list_id"]}
        ),
    )
    return order_items_detailed(rows, related=related)


def order_items(cur, environ, query, channel_ids, channel_id: int, detailed: bool) -> dict:
    if channel_ids is not None and channel_id not in channel_ids:
        raise HttpError("404 Not Found", "Not found.")
    page = Page(environ, query)
    where, params = item_filters(query, channel_id)
    rows = page.run(cur, ITEM_SELECT, where, params, "1 ASC", ITEM_COUNT)
    if detailed:
        return page.body(detailed_items(cur, rows))
    numbers = by_id(cur, "orders_order", ("id", "number"), {row["order_id"] for row in rows})
    return page.body(order_items_flat(rows, order_numbers={pk: row["number"] for pk, row in numbers.items()}))


# --- Integration orders --------------------------------------------------------------------------

ADDRESS_JOINS = {
    "columns": {
        "country__name": '"channels_country"."name"',
        "country__code": '"channels_country"."code"',
        "city__name": '"channels_city"."name"',
        "township__name": '"channels_township"."name"',
        "district__name": '"channels_district"."name"',
    },
    "sql": ' INNER JOIN "channels_country" ON ("channels_address"."country_id" = "channels_country"."id")'
    ' INNER JOIN "channels_city" ON ("channels_address"."city_id" = "channels_city"."id")'
    ' LEFT OUTER JOIN "channels_township" ON ("channels_address"."township_id" = "channels_township"."id")'
    ' LEFT OUTER JOIN "channels_district" ON ("channels_address"."district_id" = "channels_district"."id")',
}
I1_ITEM_SQL = (
    select_columns("orders_orderitem", ORDER_ITEM_I1.columns, {"product__sku": '"catalog_product"."sku"'})
    + ' INNER JOIN "catalog_product" ON ("orders_orderitem"."product_id" = "catalog_product"."id")'
    ' WHERE "orders_orderitem"."order_id" IN %s ORDER BY "orders_orderitem"."order_id" ASC, 1 ASC'
)


def i1_orders(cur, environ, query, channel_ids) -> dict:
    page = Page(environ, query)
    where, params = [], []
    if channel_ids is not None:
        where.append('"orders_order"."channel_id" IN %s')
        params.append(tuple(channel_ids))
    for name, value in query.items():
        if name in ("limit", "page") or value == "":
            continue
        if name == "number" or name == "status":
            where.append(f'"orders_order"."{name}" = %s')
            params.append(value)
        elif name == "is_send" and value in ("True", "False", "true", "false"):
            where.append(f'{"" if value.lower() == "true" else "NOT "}"orders_order"."is_send"')
        else:
            raise HttpError("400 Bad Request", f"the floor does not implement {name}")
    rows = page.run(
        cur,
        select_columns("orders_order", ORDER_I1.columns),
        where,
        params,
        "1 ASC",
        'SELECT COUNT(*) FROM "orders_order"',
    )
    if not rows:
        return page.body([])
    items = defaultdict(list)
    for item in fetch(cur, I1_ITEM_SQL, [in_list({row["id"] for row in rows})]):
        items[item["order_id"]].append(item)
    address_ids = {row[key] for row in rows for key in ("shipping_address_id", "billing_address_id")}
    related = OrdersI1Related(
        customers=by_id(cur, "channels_customer", CUSTOMER_I1.columns, {row["customer_id"] for row in rows}),
        addresses=by_id(cur, "channels_address", ADDRESS_I1_COLUMNS, address_ids, ADDRESS_JOINS),
        items=dict(items),
        channels=by_id(cur, "channels_channel", CHANNEL_I1_COLUMNS, {row["channel_id"] for row in rows}),
    )
    return page.body(orders_i1(rows, related=related))


# --- OMS order items -----------------------------------------------------------------------------

CONTENT_TYPE_SQL = (
    'SELECT "django_content_type"."id" FROM "django_content_type" '
    'WHERE "django_content_type"."app_label" = \'orders\' AND "django_content_type"."model" = \'orderitem\''
)
_content_type_id = None


def extra_fields(cur, table: str, list_column: str, pairs: set) -> dict:
    if not pairs:
        return {}
    rows = fetch(
        cur,
        select(table, f"{list_column} product_id extra_field")
        + f' WHERE ("{table}"."{list_column}" IN %s AND "{table}"."product_id" IN %s)',
        [in_list({a for a, _ in pairs}), in_list({b for _, b in pairs})],
    )
    return {
        (row[list_column], row["product_id"]): row["extra_field"]
        for row in rows
        if (row[list_column], row["product_id"]) in pairs
    }


def oms_order_items(cur, environ, query, channel_ids) -> dict:
    global _content_type_id
    page = Page(environ, query)
    where, params = [], []
    if channel_ids is not None:
        where.append('"orders_orderitem"."channel_id" IN %s')
        params.append(tuple(channel_ids))
    select_sql = select_columns("orders_orderitem", OMS_ORDER_ITEM.columns)
    count_sql = ITEM_COUNT
    for name, value in query.items():
        if name in ("limit", "page"):
            continue
        if name != "order_number":
            raise HttpError("400 Bad Request", f"the floor does not implement {name}")
        select_sql += ITEM_JOIN
        count_sql += ITEM_JOIN
        where.append('"orders_order"."number" = %s')
        params.append(value)
    rows = page.run(cur, select_sql, where, params, "1 ASC", count_sql)
    if not rows:
        return page.body([])
    if _content_type_id is None:
        cur.execute(CONTENT_TYPE_SQL)
        _content_type_id = cur.fetchone()[0]
    product_ids = {row["product_id"] for row in rows}
    price_pairs = {(row["price_list_id"], row["product_id"]) for row in rows if row["price_list_id"] is not None}
    stock_pairs = {(row["stock_list_id"], row["product_id"]) for row in rows if row["stock_list_id"] is not None}
    related = OmsRelated(
        products=by_id(cur, "catalog_product", OMS_PRODUCT.columns, product_ids),
        images=images_by_product(cur, product_ids),
        price_lists=by_id(cur, "catalog_pricelist", OMS_LIST_REF.columns, {a for a, _ in price_pairs}),
        stock_lists=by_id(cur, "catalog_stocklist", OMS_LIST_REF.columns, {a for a, _ in stock_pairs}),
        price_extra=extra_fields(cur, "catalog_productprice", "price_list_id", price_pairs),
        stock_extra=extra_fields(cur, "catalog_productstock", "stock_list_id", stock_pairs),
    )
    return page.body(oms_order_items_detailed(rows, related=related, content_type_id=_content_type_id))


# --- create_orders -------------------------------------------------------------------------------

ORDER_INSERT = """
INSERT INTO orders_order (created_date, modified_date, channel_id, number, status, date_placed, customer_id,
    shipping_address_id, billing_address_id, currency, amount, shipping_amount, shipping_interest_amount,
    discount_amount, refund_amount, discount_refund_amount, shipping_refund_amount, installment_interest_amount,
    extra_field, payment_option_id, installment_count, installment_free, cargo_company_id, is_send,
    funds_transfer_transactions, has_gift_box, client_type, cancellation_info)
VALUES (%(now)s, %(now)s, %(channel)s, %(number)s, '200', %(now)s, %(customer)s, %(shipping_address)s,
    %(billing_address)s, %(currency)s, %(amount)s, %(shipping_amount)s, 0, 0, 0, 0, 0, 0, '{}', %(payment_option)s,
    1, false, %(cargo_company)s, false, '[]', false, 'default', '{}')
ON CONFLICT (channel_id, number) DO NOTHING
RETURNING id
"""
ITEM_INSERT_COLUMNS = (
    "created_date, modified_date, order_id, channel_id, product_id, status, price_currency, price, tax_rate, "
    "discount_amount, price_list_id, stock_list_id, reservation_id, is_tradable, extra_field, attributes, "
    "attributes_kwargs, localized_attributes, localized_attributes_kwargs"
)


CREATE_CONTENT_TYPES_SQL = (
    'SELECT "django_content_type"."model", "django_content_type"."id" FROM "django_content_type" '
    'WHERE "django_content_type"."app_label" = \'orders\' AND "django_content_type"."model" IN (\'order\', \'orderitem\')'
)
_create_content_types: dict[str, int] = {}


def create_order(cur, environ, channel_ids, user_id: int, channel_id: int) -> dict:
    """The statements create_orders runs, with the app's SQL where it is built by hand
    (``orders.queries``, ``catalog.queries``, ``integrations.queries``): the reference check, then
    in one transaction the order, the reservations, the unit rows, the ``created`` event, their
    outbox rows in one INSERT, and the stock rows locked for the check."""
    if channel_ids is not None and channel_id not in channel_ids:
        raise HttpError("404 Not Found", "Not found.")
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = orjson.loads(environ["wsgi.input"].read(size))
    order, items = body["order"], body["order_item"]
    if not _create_content_types:
        cur.execute(CREATE_CONTENT_TYPES_SQL)
        _create_content_types.update(cur.fetchall())
    product_ids = [int(item["product"]) for item in items]
    optional = {
        key: {order[key]} if order.get(key) is not None else set() for key in ("cargo_company", "payment_option")
    }
    cur.execute(
        *references_statement(
            channel_id=channel_id,
            wanted=ReferenceIds(
                customers={order["customer"]},
                addresses={order["shipping_address"], order["billing_address"]},
                cargo_companies=optional["cargo_company"],
                payment_options=optional["payment_option"],
                products=set(product_ids),
                price_lists=set(),
                stock_lists=set(),
                parents=set(),
            ),
        )
    )
    refs = references_read(cur.fetchall())
    if refs.channel is None:
        raise HttpError("404 Not Found", "Not found.")
    price_list_id, stock_list_id = refs.channel.price_list_id, refs.channel.stock_list_id
    stock_ids = [refs.stock_ids[(stock_list_id, product_id)] for product_id in product_ids]
    now = datetime.now(UTC)
    connection = cur.connection
    connection.autocommit = False
    try:
        cur.execute(ORDER_INSERT, {**order, "now": now, "channel": channel_id})
        inserted = cur.fetchone()
        if inserted is None:
            raise HttpError("406 Not Acceptable", "An order with this number exists.")
        order_id = inserted[0]
        reservations = reservations_insert(cur, stock_ids)
        rows = [
            (now, now, order_id, channel_id, product_id, "200", order["currency"], Decimal(item["price"]),
             Decimal(str(item.get("tax_rate", 0))), 0, price_list_id, stock_list_id, reservation_id, True,
             "{}", "{}", "{}", "{}", "{}")
            for item, product_id, reservation_id in zip(items, product_ids, reservations, strict=True)
        ]  # fmt: skip
        item_ids = [
            pk
            for (pk,) in psycopg2.extras.execute_values(
                cur, f"INSERT INTO orders_orderitem ({ITEM_INSERT_COLUMNS}) VALUES %s RETURNING id", rows, fetch=True
            )
        ]
        cur.execute(
            "INSERT INTO orders_orderevent (created_date, modified_date, order_id, event_type, new_value, actor_id, "
            "note) VALUES (%s, %s, %s, 'created', %s, %s, '')",
            [now, now, order_id, orjson.dumps({"number": order["number"], "status": "200", "items": len(items)})
             .decode(), user_id],
        )  # fmt: skip
        item_type, order_type = _create_content_types["orderitem"], _create_content_types["order"]
        changes = [(item_type, pk, channel_id, now, "created") for pk in sorted(item_ids)]
        cur.execute(
            *changes_insert_statement(rows=[*changes, (order_type, order_id, channel_id, now, "created")], now=now)
        )
        levels = stock_levels_for_update(cur, sorted(set(stock_ids)))
        reserved_by_stock(cur, list(levels))
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    finally:
        connection.autocommit = True
    return {"pk": order_id, "number": order["number"], "orderitem_set": [{"pk": pk} for pk in item_ids]}


# --- Change feeds --------------------------------------------------------------------------------

_content_types: dict[tuple[str, str], int] = {}


def content_type_id(cur, app_label: str, model: str) -> int:
    """The content type's id, read once per process (the app's ContentType cache)."""
    key = (app_label, model)
    if key not in _content_types:
        cur.execute(
            'SELECT "django_content_type"."id" FROM "django_content_type" '
            'WHERE "django_content_type"."app_label" = %s AND "django_content_type"."model" = %s',
            [app_label, model],
        )
        _content_types[key] = cur.fetchone()[0]
    return _content_types[key]


IA = '"integrations_integrationaction"'
PENDING_WHERE = (
    f'{IA}."channel_id" = %s AND {IA}."content_type_id" = %s AND {IA}."pending_seq" > ({IA}."synced_seq") '
    f'AND NOT ({IA}."status" = \'processing\' AND {IA}."status" IS NOT NULL)'
)
PENDING_IDS_SQL = f'SELECT {IA}."object_id" AS "object_id" FROM {IA} WHERE ({PENDING_WHERE}'
PENDING_COUNT_SQL = f'SELECT COUNT(*) AS "__count" FROM {IA} WHERE ({PENDING_WHERE})'


def pending_ids(cur, channel_id: int, type_id: int, limit: int, offset: int = 0, candidates: str = "", params=()):
    """``integrations.selectors.feed_object_ids`` in "updates" mode: changed since sent, not processing."""
    paging = f" LIMIT {limit}" + (f" OFFSET {offset}" if offset else "")
    sql = f"{PENDING_IDS_SQL}{candidates}) ORDER BY 1 ASC{paging}"
    cur.execute(sql, [channel_id, type_id, *params])
    return [object_id for (object_id,) in cur.fetchall()]


ORDERS_BY_ID_SQL = select_columns("orders_order", ORDER_COLUMNS) + (
    ' WHERE ("orders_order"."channel_id" = %s AND "orders_order"."id" IN %s) ORDER BY "orders_order"."id" ASC'
)


def order_updates(cur, environ, query, channel_ids, channel_id: int) -> dict:
    """``orders/updates/``: a page of the pending order ids, their orders, the count when the page is full or later."""
    if channel_ids is not None and channel_id not in channel_ids:
        raise HttpError("404 Not Found", "Not found.")
    page = Page(environ, query)
    type_id = content_type_id(cur, "orders", "order")
    ids = pending_ids(cur, channel_id, type_id, page.limit, page.offset)
    orders = []
    if ids:
        cur.execute(ORDERS_BY_ID_SQL, [channel_id, tuple(ids)])
        orders = [order_flat(OrderRow(row)) for row in cur.fetchall()]
    if len(ids) == page.limit or page.page > 1:
        cur.execute(PENDING_COUNT_SQL, [channel_id, type_id])
        page.count = cur.fetchone()[0]
    else:
        page.count = len(ids)
    return page.body(orders)


CATALOG_LISTS_SQL = (
    'SELECT "catalog_catalog"."price_list_id" AS "catalog__price_list_id", "catalog_catalog"."stock_list_id" AS '
    '"catalog__stock_list_id" FROM "channels_channel" LEFT OUTER JOIN "catalog_catalog" ON '
    '("channels_channel"."catalog_id" = "catalog_catalog"."id") WHERE "channels_channel"."id" = %s '
    'ORDER BY "channels_channel"."id" ASC LIMIT 1'
)
STOCK_CANDIDATES = (
    ' AND (SELECT U0."id" AS "pk" FROM "catalog_productstock" U0 WHERE (U0."stock_list_id" IN %s AND U0."id" = '
    f'({IA}."object_id")) LIMIT 1) IS NOT NULL'
)
RESERVED_SQL = (
    'COALESCE((SELECT SUM(U0."quantity") AS "total" FROM "catalog_stockreservation" U0 WHERE (U0."released_at" IS NULL '
    'AND U0."stock_id" = ("catalog_productstock"."id")) GROUP BY U0."stock_id"), 0)'
)
STOCK_EXPRESSIONS = {"reserved": RESERVED_SQL, "available": f'("catalog_productstock"."stock" - {RESERVED_SQL})'}


def stock_column(column: str) -> str:
    expression = STOCK_EXPRESSIONS.get(column, f'"catalog_productstock"."{column}"')
    return f'{expression} AS "{column}"'


STOCK_SELECT = f'SELECT {", ".join(map(stock_column, PRODUCT_STOCK_COLUMNS))} FROM "catalog_productstock"'


def stock_updates(cur, environ, query, channel_ids, channel_id: int) -> dict:
    """``product_stocks/updates/``: the catalog's stock list, its pending row ids, those rows as a page."""
    if channel_ids is not None and channel_id not in channel_ids:
        raise HttpError("404 Not Found", "Not found.")
    page = Page(environ, query)
    cur.execute(CATALOG_LISTS_SQL, [channel_id])
    row = cur.fetchone()
    stock_list_id = row[1] if row is not None else None
    ids = []
    if stock_list_id is not None:
        type_id = content_type_id(cur, "catalog", "productstock")
        ids = pending_ids(cur, channel_id, type_id, page.limit, candidates=STOCK_CANDIDATES, params=[(stock_list_id,)])
    if not ids:  # ``pk__in=[]``: the app's ORM answers an empty page without a statement
        page.count = 0
        return page.body([])
    rows = page.run(
        cur,
        STOCK_SELECT,
        ['"catalog_productstock"."id" IN %s'],
        [tuple(ids)],
        "1 ASC",
        'SELECT COUNT(*) AS "__count" FROM "catalog_productstock"',
    )
    return page.body(product_stock_rows(rows))


# --- WSGI ----------------------------------------------------------------------------------------

ROUTES = (
    (re.compile(r"^/api/v1/channel/(\d+)/order_items/$"), "items"),
    (re.compile(r"^/api/v1/channel/(\d+)/order_items/detailed/$"), "detailed"),
    (re.compile(r"^/api/(?:i1|v1)/orders/$"), "i1"),
    (re.compile(r"^/api/v1/oms/order_items/$"), "oms"),
    (re.compile(r"^/api/v1/channel/(\d+)/create_orders/$"), "create"),
    (re.compile(r"^/api/v1/channel/(\d+)/orders/updates/$"), "order_updates"),
    (re.compile(r"^/api/v1/channel/(\d+)/product_stocks/updates/$"), "stock_updates"),
)
FEEDS = {"order_updates": order_updates, "stock_updates": stock_updates}


def dispatch(cur, environ) -> tuple[str, dict]:
    path = environ["PATH_INFO"]
    name, match = next(((name, m) for pattern, name in ROUTES if (m := pattern.match(path))), (None, None))
    if match is None:
        raise HttpError("404 Not Found", "Not found.")
    user_id, channel_ids = authenticate(cur, environ)
    query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if name == "create":
        return "201 Created", create_order(cur, environ, channel_ids, user_id, int(match.group(1)))
    if name in ("items", "detailed"):
        return "200 OK", order_items(cur, environ, query, channel_ids, int(match.group(1)), name == "detailed")
    if name in FEEDS:
        return "200 OK", FEEDS[name](cur, environ, query, channel_ids, int(match.group(1)))
    if name == "i1":
        return "200 OK", i1_orders(cur, environ, query, channel_ids)
    return "200 OK", oms_order_items(cur, environ, query, channel_ids)


def app(environ, start_response):
    if environ["PATH_INFO"] == "/health/":
        status, body = "200 OK", {"status": "ok"}
    else:
        try:
            with cursor() as cur:
                status, body = dispatch(cur, environ)
        except HttpError as error:
            status, body = error.status, {"detail": error.detail}
    content = orjson.dumps(body, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(content)))])
    return [content]
