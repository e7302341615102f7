"""The floor: the benchmarked endpoints as a bare WSGI app (no Django), for comparison.

It runs the same SQL statements as the app for the same request (token and membership lookups,
the page, the count when the page is full, one grouped query per nested kind), builds the same
response dicts and writes them with orjson, through one psycopg2 connection per worker. What it
leaves out is what the framework adds: middleware, DRF's request/response cycle, django-filter's
forms, the ORM's query building and model machinery, input validation beyond what the SQL needs.
``tests/bench/test_floor.py`` checks that it answers the same JSON as the app.

Served by the same gunicorn as the app:

    FLOOR_DATABASE_URL=postgres://... gunicorn -c gunicorn.conf.py bench.floor:app

Paths (the app's): ``/api/v1/channel/{id}/order_items/`` and ``.../detailed/`` (``status`` as a
code, ``modified_date__gte``), ``/api/i1/orders/`` (``number``, ``is_send``, ``status``),
``/api/v1/oms/order_items/`` (``order_number``), all with ``page``/``limit``; and
``POST /api/v1/channel/{id}/create_orders/``, which inserts the order, its unit rows, their stock
reservations and the ``created`` event in one transaction, without the app's validation.
"""

import hashlib
import os
import re
import time
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import orjson
import psycopg2
import psycopg2.extras

TWO_PLACES = Decimal("0.01")
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


def money(value):
    return None if value is None else str(value.quantize(TWO_PLACES))


def rate(value):
    if value is None:
        return None
    rounded = value.quantize(TWO_PLACES)
    return str(rounded) if rounded == value else str(value.normalize())


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


def authenticate(cur, environ) -> tuple[int, list[int] | None]:
    """(user id, visible channel ids or None for staff), or HttpError 401."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Token "):
        raise HttpError("401 Unauthorized", "Authentication credentials were not provided.")
    cur.execute(TOKEN_SQL, [hashlib.sha256(header[6:].encode()).hexdigest()])
    row = cur.fetchone()
    now = datetime.now(UTC)
    if row is None or row[3] is not None or (row[2] is not None and row[2] <= now) or not row[6]:
        raise HttpError("401 Unauthorized", "Invalid token.")
    user_id = row[1]
    if row[7] or row[8]:
        return user_id, None
    cur.execute(MEMBERSHIP_SQL, [user_id])
    return user_id, [channel_id for (channel_id,) in cur.fetchall()]


def scope(column: str, channel_ids: list[int] | None) -> tuple[str, list]:
    if channel_ids is None:
        return "", []
    return f'"{column}" IN %s', [tuple(channel_ids)]


# --- Pagination ---------------------------------------------------------------------------------


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

FLAT = (
    ("pk", "id", None), ("order", "order_id", None), ("order_number", "order__number", None),
    ("product", "product_id", None), ("price_list", "price_list_id", None), ("stock_list", "stock_list_id", None),
    ("status", "status", None), ("price_currency", "price_currency", None), ("price", "price", money), ("tax_rate", "tax_rate", rate),
    ("shipping_company", "shipping_company", None), ("shipment_code", "shipment_code", None),
    ("cancel_status", "cancel_status", None), ("is_tradable", "is_tradable", None),
    ("installment_interest_amount", "installment_interest_amount", money), ("datasource", "datasource", None),
    ("cancellation_reconciliation", "cancellation_reconciliation", None),
    ("reconciliation", "reconciliation", None), ("forced_refund", "forced_refund", None),
    ("original_stock", "original_stock", None), ("shipping_option_group", "shipping_option_group", None),
    ("extra_field", "extra_field", None), ("created_date", "created_date", None),
    ("modified_date", "modified_date", None), ("attributes", "attributes", None),
    ("attributes_kwargs", "attributes_kwargs", None), ("localized_attributes", "localized_attributes", None),
    ("localized_attributes_kwargs", "localized_attributes_kwargs", None), ("retail_price", "retail_price", money),
    ("discount_amount", "discount_amount", money), ("tax_amount", "tax_amount", money),
    ("tracking_number", "tracking_number", None), ("carrier_shipping_code", "carrier_shipping_code", None),
    ("invoice_number", "invoice_number", None), ("invoice_date", "invoice_date", None),
    ("e_archive_url", "e_archive_url", None), ("parent", "parent_id", None),
    ("estimated_delivery_date", "estimated_delivery_date", None),
    ("defined_tracking_url", "defined_tracking_url", None),
    ("defined_shipping_company", "defined_shipping_company", None), ("image", "image", None),
    ("external_status", "external_status", None),
)  # fmt: skip
ITEM_SELECT = (
    select(
        "orders_orderitem",
        " ".join(
            'order__number="orders_order"."number"' if column == "order__number" else column for _, column, _ in FLAT
        ),
    )
    + ' INNER JOIN "orders_order" ON ("orders_orderitem"."order_id" = "orders_order"."id")'
)
ITEM_COUNT = 'SELECT COUNT(*) AS "__count" FROM "orders_orderitem"'
LIST_COLUMNS = "id code name is_auto_sync created_date modified_date"


def flat_item(row: dict) -> dict:
    return {key: fmt(row[column]) if fmt else row[column] for key, column, fmt in FLAT}


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


def list_brief(row: dict | None) -> dict | None:
    if row is None:
        return None
    brief = {key: row[key] for key in ("code", "name", "is_auto_sync", "created_date", "modified_date")}
    brief = {"pk": row["id"], **brief}
    if "currency" in row:
        brief["currency"] = row["currency"]
    return brief


def by_id(cur, sql: str, ids) -> dict[int, dict]:
    if not ids:
        return {}
    return {row["id"]: row for row in fetch(cur, sql, [in_list(ids)])}


def images_by_product(cur, columns: str, order: str, product_ids: set[int], shape) -> dict[int, list[dict]]:
    """The products' images, ``shape``d, grouped by product id (one query)."""
    images = defaultdict(list)
    for image in fetch(
        cur,
        select("catalog_productimage", columns) + f' WHERE "catalog_productimage"."product_id" IN %s ORDER BY {order}',
        [in_list(product_ids)],
    ):
        images[image["product_id"]].append(shape(image))
    return images


def detailed_items(cur, rows: list[dict]) -> list[dict]:
    if not rows:
        return []
    orders = by_id(
        cur,
        select("orders_order", "id number status date_placed currency amount customer_id")
        + ' WHERE "orders_order"."id" IN %s',
        {row["order_id"] for row in rows},
    )
    product_ids = {row["product_id"] for row in rows}
    products = by_id(
        cur,
        select("catalog_product", "id name sku base_code barcode attributes")
        + ' WHERE "catalog_product"."id" IN %s ORDER BY "catalog_product"."id" ASC',
        product_ids,
    )
    images = images_by_product(
        cur,
        "id product_id url order",
        "2 ASC, 4 ASC, 1 ASC",
        product_ids,
        lambda image: {"pk": image["id"], "url": image["url"], "order": image["order"]},
    )
    list_ids = ' WHERE "{0}"."id" IN %s ORDER BY "{0}"."id" ASC'
    price_lists = by_id(
        cur,
        select("catalog_pricelist", f"{LIST_COLUMNS} currency") + list_ids.format("catalog_pricelist"),
        {row["price_list_id"] for row in rows if row["price_list_id"]},
    )
    stock_lists = by_id(
        cur,
        select("catalog_stocklist", LIST_COLUMNS) + list_ids.format("catalog_stocklist"),
        {row["stock_list_id"] for row in rows if row["stock_list_id"]},
    )
    results = []
    for row in rows:
        item = flat_item(row)
        order = orders[row["order_id"]]
        item["order"] = {
            "pk": order["id"],
            "number": order["number"],
            "status": order["status"],
            "date_placed": order["date_placed"],
            "currency": order["currency"],
            "amount": money(order["amount"]),
            "customer": order["customer_id"],
        }
        product = products[row["product_id"]]
        item["product"] = {
            "pk": product["id"],
            **{key: product[key] for key in ("name", "sku", "base_code", "barcode", "attributes")},
            "images": images.get(product["id"], []),
        }
        item["price_list"] = list_brief(price_lists.get(row["price_list_id"]))
        item["stock_list"] = list_brief(stock_lists.get(row["stock_list_id"]))
        results.append(item)
    return results


def order_items(cur, environ, query, channel_ids, channel_id: int, detailed: bool) -> dict:
    if channel_ids is not None and channel_id not in channel_ids:
        raise HttpError("404 Not Found", "Not found.")
    page = Page(environ, query)
    where, params = item_filters(query, channel_id)
    rows = page.run(cur, ITEM_SELECT, where, params, "1 ASC", ITEM_COUNT)
    return page.body(detailed_items(cur, rows) if detailed else [flat_item(row) for row in rows])


# --- Integration orders --------------------------------------------------------------------------

ORDER_COLUMNS = (
    "id number status date_placed customer_id shipping_address_id billing_address_id currency amount "
    "shipping_amount shipping_tax_rate extra_field payment_option_id payment_option_slug bin_number installment "
    "installment_count installment_interest_amount cargo_company_id invoice_number invoice_date e_archive_url "
    "refund_amount discount_refund_amount shipping_refund_amount discount_amount is_send shipping_interest_amount "
    "tracking_number carrier_shipping_code remote_addr has_gift_box gift_box_note external_status channel_id"
)
ORDER_MONEY = [
    "amount",
    "shipping_amount",
    "installment_interest_amount",
    "refund_amount",
    "discount_refund_amount",
    "shipping_refund_amount",
    "discount_amount",
]
ADDRESS_SQL = (
    select(
        "channels_address",
        'id email phone_number first_name last_name country__name="channels_country"."name" '
        'country__code="channels_country"."code" city_id city__name="channels_city"."name" line title township_id '
        'township__name="channels_township"."name" district_id district__name="channels_district"."name" postcode '
        "notes company_name tax_office tax_no e_bill_taxpayer identity_number extra_field",
    )
    + ' INNER JOIN "channels_country" ON ("channels_address"."country_id" = "channels_country"."id")'
    ' INNER JOIN "channels_city" ON ("channels_address"."city_id" = "channels_city"."id")'
    ' LEFT OUTER JOIN "channels_township" ON ("channels_address"."township_id" = "channels_township"."id")'
    ' LEFT OUTER JOIN "channels_district" ON ("channels_address"."district_id" = "channels_district"."id")'
    ' WHERE "channels_address"."id" IN %s ORDER BY 1 ASC'
)
I1_ITEM_SQL = (
    select(
        "orders_orderitem",
        'id order_id product__sku="catalog_product"."sku" status price_currency price tax_rate extra_field '
        "price_list_id stock_list_id cancel_status invoice_number invoice_date e_archive_url "
        "installment_interest_amount tracking_number carrier_shipping_code shipping_company shipment_code "
        "external_status discount_amount retail_price attributes attributes_kwargs image",
    )
    + ' INNER JOIN "catalog_product" ON ("orders_orderitem"."product_id" = "catalog_product"."id")'
    ' WHERE "orders_orderitem"."order_id" IN %s ORDER BY 2 ASC, 1 ASC'
)
SECRET_MARKERS = ("password", "secret", "token", "key")


def public_conf(conf):
    if isinstance(conf, dict):
        return {
            key: public_conf(value)
            for key, value in conf.items()
            if not any(marker in str(key).lower() for marker in SECRET_MARKERS)
        }
    if isinstance(conf, list):
        return [public_conf(value) for value in conf]
    return conf


def address(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {
        **{key: row[key] for key in ("email", "phone_number", "first_name", "last_name")},
        "country": {"name": row["country__name"], "code": row["country__code"]},
        "city": {"id": row["city_id"], "name": row["city__name"]},
        "line": row["line"],
        "title": row["title"],
        "township": {"id": row["township_id"], "name": row["township__name"]} if row["township_id"] else None,
        "district": {"id": row["district_id"], "name": row["district__name"]} if row["district_id"] else None,
        **{
            key: row[key]
            for key in (
                [
                    "postcode",
                    "notes",
                    "company_name",
                    "tax_office",
                    "tax_no",
                    "e_bill_taxpayer",
                    "identity_number",
                    "extra_field",
                ]
            )
        },
    }


def i1_item(row: dict) -> dict:
    return {
        "id": row["id"],
        "order": row["order_id"],
        "product_sku": row["product__sku"],
        "status": row["status"],
        "price_currency": row["price_currency"],
        "price": money(row["price"]),
        "tax_rate": rate(row["tax_rate"]),
        "extra_field": row["extra_field"],
        "price_list": row["price_list_id"],
        "stock_list": row["stock_list_id"],
        **{key: row[key] for key in ("cancel_status", "invoice_number", "invoice_date", "e_archive_url")},
        "installment_interest_amount": money(row["installment_interest_amount"]),
        **{
            key: row[key]
            for key in [
                "tracking_number",
                "carrier_shipping_code",
                "shipping_company",
                "shipment_code",
                "external_status",
            ]
        },
        "discount_amount": money(row["discount_amount"]),
        "retail_price": money(row["retail_price"]),
        "attributes": row["attributes"],
        "attributes_kwargs": row["attributes_kwargs"],
        "image": row["image"] or None,
    }


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
        cur, select("orders_order", ORDER_COLUMNS), where, params, "1 ASC", 'SELECT COUNT(*) FROM "orders_order"'
    )
    if not rows:
        return page.body([])
    customers = by_id(
        cur,
        select("channels_customer", "id email first_name last_name phone_number")
        + ' WHERE "channels_customer"."id" IN %s ORDER BY 1 ASC',
        {row["customer_id"] for row in rows},
    )
    addresses = by_id(
        cur, ADDRESS_SQL, {row[key] for row in rows for key in ("shipping_address_id", "billing_address_id")}
    )
    items = defaultdict(list)
    for item in fetch(cur, I1_ITEM_SQL, [in_list({row["id"] for row in rows})]):
        items[item["order_id"]].append(i1_item(item))
    channels = by_id(
        cur,
        select("channels_channel", "id name conf") + ' WHERE "channels_channel"."id" IN %s ORDER BY 1 ASC',
        {row["channel_id"] for row in rows},
    )
    results = []
    for row in rows:
        order = {key: row[key] for key in ("id", "number", "status", "date_placed")}
        order["customer"] = customers[row["customer_id"]]
        order["shipping_address"] = address(addresses.get(row["shipping_address_id"]))
        order["billing_address"] = address(addresses.get(row["billing_address_id"]))
        for key in [
            "currency",
            "amount",
            "shipping_amount",
            "shipping_tax_rate",
            "extra_field",
            "payment_option_id",
            "payment_option_slug",
            "bin_number",
            "installment",
            "installment_count",
            "installment_interest_amount",
            "cargo_company_id",
            "invoice_number",
            "invoice_date",
            "e_archive_url",
            "refund_amount",
            "discount_refund_amount",
            "shipping_refund_amount",
            "discount_amount",
            "is_send",
        ]:
            value = row[key]
            order[key.removesuffix("_id")] = money(value) if key in ORDER_MONEY else value
        order["shipping_tax_rate"] = rate(row["shipping_tax_rate"])
        order["net_shipping_amount"] = money(row["shipping_amount"] + row["shipping_interest_amount"])
        order["shipping_interest_amount"] = money(row["shipping_interest_amount"])
        for key in [
            "tracking_number",
            "carrier_shipping_code",
            "remote_addr",
            "has_gift_box",
            "gift_box_note",
            "external_status",
        ]:
            order[key] = row[key]
        order["orderitem_set"] = items.get(row["id"], [])
        channel = channels[row["channel_id"]]
        order["channel"] = {"name": channel["name"], "conf": public_conf(channel["conf"])}
        results.append(order)
    return page.body(results)


# --- OMS order items -----------------------------------------------------------------------------

OMS_COLUMNS = (
    "id order_id product_id parent_id status created_date modified_date price price_currency retail_price "
    "tax_rate tax_amount discount_amount installment_interest_amount attributes attributes_kwargs image "
    "price_list_id stock_list_id"
)
STATE_DATE = datetime(2021, 1, 1, tzinfo=UTC)
STATE_NAMES = {
    "50": ("Cancellation Waiting", "İptal Bekliyor"),
    "100": ("Cancelled", "İptal Edildi"),
    "200": ("Waiting", "Bekliyor"),
    "300": ("Payment Waiting", "Ödeme Bekleniyor"),
    "350": ("Confirmation Waiting", "Onay Bekleniyor"),
    "400": ("Approved", "Onaylandı"),
    "450": ("Preparing", "Hazırlanıyor"),
    "500": ("Shipped", "Kargoya Verildi"),
    "510": ("Shipped and Informed", "Kargoya Verildi ve Bilgilendirildi"),
    "520": ("Ready for Pickup", "Teslim Alınmaya Hazır"),
    "540": ("Attempted to Delivery", "Teslimat Denendi"),
    "544": ("Review Started", "İnceleme Başladı"),
    "545": ("Review Waiting", "İnceleme Bekleniyor"),
    "546": ("Waiting for Payment", "Ödeme İçin Bekliyor"),
    "547": ("Paid", "Ödendi"),
    "550": ("Delivered", "Teslim Edildi"),
    "600": ("Refunded", "İade Edildi"),
}
CONTENT_TYPE_SQL = (
    'SELECT "django_content_type"."id" FROM "django_content_type" '
    'WHERE "django_content_type"."app_label" = \'orders\' AND "django_content_type"."model" = \'orderitem\''
)
_content_type_id = None


def oms_state(code: str, content_type_id: int) -> dict:
    en, tr = STATE_NAMES.get(code, (code, code))
    return {
        "id": int(code),
        "created_date": STATE_DATE,
        "modified_date": STATE_DATE,
        "translations": {"en-us": {"name": en}, "tr-tr": {"name": tr}},
        "name": en,
        "config": {},
        "enum_class": "OrderStatus",
        "enum_value": code,
        "content_type": content_type_id,
    }


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


def oms_product(row: dict, images: list[dict]) -> dict:
    return {
        "id": row["id"],
        "productimage_set": images,
        "created_date": row["created_date"],
        "modified_date": row["modified_date"],
        "omnitron_id": row["id"],
        **{
            key: row[key]
            for key in ["name", "base_code", "sku", "barcode", "attributes", "attributes_kwargs", "extra_attributes"]
        },
        "remote_modified_date": row["modified_date"],
    }


def oms_order_items(cur, environ, query, channel_ids) -> dict:
    global _content_type_id
    page = Page(environ, query)
    where, params = [], []
    if channel_ids is not None:
        where.append('"orders_orderitem"."channel_id" IN %s')
        params.append(tuple(channel_ids))
    select_sql = select("orders_orderitem", OMS_COLUMNS)
    count_sql = ITEM_COUNT
    for name, value in query.items():
        if name in ("limit", "page"):
            continue
        if name != "order_number":
            raise HttpError("400 Bad Request", f"the floor does not implement {name}")
        join = ' INNER JOIN "orders_order" ON ("orders_orderitem"."order_id" = "orders_order"."id")'
        select_sql += join
        count_sql += join
        where.append('"orders_order"."number" = %s')
        params.append(value)
    rows = page.run(cur, select_sql, where, params, "1 ASC", count_sql)
    if not rows:
        return page.body([])
    if _content_type_id is None:
        cur.execute(CONTENT_TYPE_SQL)
        _content_type_id = cur.fetchone()[0]
    product_ids = {row["product_id"] for row in rows}
    products = by_id(
        cur,
        select(
            "catalog_product",
            "id created_date modified_date name base_code sku barcode attributes attributes_kwargs extra_attributes",
        )
        + ' WHERE "catalog_product"."id" IN %s',
        product_ids,
    )
    images = images_by_product(
        cur,
        "order id url product_id",
        "4 ASC, 1 ASC, 2 ASC",
        product_ids,
        lambda image: {"order": image["order"], "id": image["id"], "url": image["url"], "product": image["product_id"]},
    )
    price_pairs = {(row["price_list_id"], row["product_id"]) for row in rows if row["price_list_id"] is not None}
    stock_pairs = {(row["stock_list_id"], row["product_id"]) for row in rows if row["stock_list_id"] is not None}
    oms_list = ' WHERE "{0}"."id" IN %s'
    columns = "id code name created_date is_auto_sync modified_date"
    price_lists = by_id(
        cur, select("catalog_pricelist", columns) + oms_list.format("catalog_pricelist"), {a for a, _ in price_pairs}
    )
    stock_lists = by_id(
        cur, select("catalog_stocklist", columns) + oms_list.format("catalog_stocklist"), {a for a, _ in stock_pairs}
    )
    price_extra = extra_fields(cur, "catalog_productprice", "price_list_id", price_pairs)
    stock_extra = extra_fields(cur, "catalog_productstock", "stock_list_id", stock_pairs)
    refs = {
        kind: {pk: {"pk": pk, **{key: row[key] for key in columns.split()[1:]}} for pk, row in lists.items()}
        for kind, lists in (("price", price_lists), ("stock", stock_lists))
    }
    results = []
    for row in rows:
        price, discount, tax = row["price"], row["discount_amount"], row["tax_amount"]
        net = price - discount
        product_id, price_list_id, stock_list_id = row["product_id"], row["price_list_id"], row["stock_list_id"]
        results.append(
            {
                "id": row["id"],
                "state": oms_state(row["status"], _content_type_id),
                "product": oms_product(products[product_id], images.get(product_id, [])),
                "created_date": row["created_date"],
                "modified_date": row["modified_date"],
                "omnitron_id": row["id"],
                "net_amount": money(net),
                "price": money(price),
                "price_currency": row["price_currency"],
                "retail_price": money(row["retail_price"]),
                "tax_rate": rate(row["tax_rate"]),
                "tax_amount": money(tax),
                "discount_amount": money(discount),
                "without_net_amount": money(net - tax) if tax is not None else None,
                "installment_interest_amount": money(row["installment_interest_amount"]),
                "attributes": row["attributes"],
                "attributes_kwargs": row["attributes_kwargs"],
                "image": row["image"] or None,
                "price_list": refs["price"].get(price_list_id),
                "stock_list": refs["stock"].get(stock_list_id),
                "extra_field": {
                    "price_extra_field": price_extra.get((price_list_id, product_id)) or {},
                    "stock_extra_field": stock_extra.get((stock_list_id, product_id)) or {},
                },
                "parent_omnitron_id": row["parent_id"],
                "order": row["order_id"],
            }
        )
    return page.body(results)


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
RETURNING id
"""
ITEM_INSERT_COLUMNS = (
    "created_date, modified_date, order_id, channel_id, product_id, status, price_currency, price, tax_rate, "
    "discount_amount, price_list_id, stock_list_id, reservation_id, is_tradable, extra_field, attributes, "
    "attributes_kwargs, localized_attributes, localized_attributes_kwargs"
)


def create_order(cur, environ, channel_ids, user_id: int, channel_id: int) -> dict:
    """The rows create_orders writes, in one transaction: order, reservations, unit rows, event."""
    if channel_ids is not None and channel_id not in channel_ids:
        raise HttpError("404 Not Found", "Not found.")
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = orjson.loads(environ["wsgi.input"].read(size))
    order, items = body["order"], body["order_item"]
    now = datetime.now(UTC)
    connection = cur.connection
    connection.autocommit = False
    try:
        cur.execute(
            'SELECT "catalog_catalog"."price_list_id", "catalog_catalog"."stock_list_id" FROM "channels_channel" '
            'LEFT OUTER JOIN "catalog_catalog" ON ("catalog_catalog"."id" = "channels_channel"."catalog_id") '
            'WHERE "channels_channel"."id" = %s',
            [channel_id],
        )
        price_list_id, stock_list_id = cur.fetchone()
        cur.execute(ORDER_INSERT, {**order, "now": now, "channel": channel_id})
        order_id = cur.fetchone()[0]
        product_ids = [int(item["product"]) for item in items]
        cur.execute(
            "SELECT id, product_id FROM catalog_productstock WHERE stock_list_id = %s AND product_id IN %s "
            "ORDER BY id FOR UPDATE",
            [stock_list_id, tuple(product_ids)],
        )
        stock_by_product = {product_id: stock_id for stock_id, product_id in cur.fetchall()}
        cur.execute(
            "SELECT stock_id, SUM(quantity) FROM catalog_stockreservation WHERE released_at IS NULL AND stock_id IN %s "
            "GROUP BY stock_id",
            [tuple(stock_by_product.values())],
        )
        cur.fetchall()
        reservations = psycopg2.extras.execute_values(
            cur,
            "INSERT INTO catalog_stockreservation (created_date, modified_date, stock_id, quantity) VALUES %s "
            "RETURNING id",
            [(now, now, stock_by_product[product_id], 1) for product_id in product_ids],
            fetch=True,
        )
        rows = [
            (now, now, order_id, channel_id, int(item["product"]), "200", order["currency"], Decimal(item["price"]),
             Decimal(str(item.get("tax_rate", 0))), 0, price_list_id, stock_list_id, reservation_id, True,
             "{}", "{}", "{}", "{}", "{}")
            for item, (reservation_id,) in zip(items, reservations, strict=True)
        ]  # fmt: skip
        item_ids = psycopg2.extras.execute_values(
            cur, f"INSERT INTO orders_orderitem ({ITEM_INSERT_COLUMNS}) VALUES %s RETURNING id", rows, fetch=True
        )
        cur.execute(
            "INSERT INTO orders_orderevent (created_date, modified_date, order_id, event_type, new_value, actor_id, "
            "note) VALUES (%s, %s, %s, 'created', %s, %s, '')",
            [now, now, order_id, orjson.dumps({"number": order["number"], "status": "200", "items": len(items)})
             .decode(), user_id],
        )  # fmt: skip
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    finally:
        connection.autocommit = True
    return {"pk": order_id, "number": order["number"], "orderitem_set": [{"pk": pk} for (pk,) in item_ids]}


# --- WSGI ----------------------------------------------------------------------------------------

ROUTES = (
    (re.compile(r"^/api/v1/channel/(\d+)/order_items/$"), "items"),
    (re.compile(r"^/api/v1/channel/(\d+)/order_items/detailed/$"), "detailed"),
    (re.compile(r"^/api/(?:i1|v1)/orders/$"), "i1"),
    (re.compile(r"^/api/v1/oms/order_items/$"), "oms"),
    (re.compile(r"^/api/v1/channel/(\d+)/create_orders/$"), "create"),
)


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
