"""The benchmark data set, generated inside PostgreSQL with ``INSERT ... SELECT generate_series``.

At the default scale: 5 channels (each with its price and stock list), 50,000 products (one image,
a price and a stock row per list), 100,000 customers with an address each, 300,000 orders and
about 1,050,000 order items (1-6 units per order) with a realistic status mix, dates spread over
the last year, and a sixth of the approved orders still waiting for the ERP (``is_send`` false).
The indexes and foreign keys of the large tables are dropped during the load and restored
afterwards (each key checked by one join), several times faster than maintaining them row by row.

Used by ``bench/run.py`` and, at a tiny scale, by the floor test; the tables must exist
(``manage.py migrate``) and be empty.
"""

import time
from dataclasses import dataclass

CHANNELS = ("Web", "Mobile app", "Trendyol", "Hepsiburada", "Store")
META_TABLE = "bench_meta"


@dataclass(frozen=True)
class Scale:
    orders: int = 300_000
    products: int = 50_000
    customers: int = 100_000

    @property
    def key(self) -> str:
        return f"orders={self.orders},products={self.products},customers={self.customers}"


# Order status mix by age (code, cumulative share from the oldest): old orders are delivered,
# refunded or cancelled; recent ones are still being shipped, prepared, approved or paid.
STATUS_MIX = (
    ("550", 0.45),
    ("600", 0.50),
    ("100", 0.60),
    ("500", 0.72),
    ("450", 0.80),
    ("400", 0.92),
    ("300", 0.95),
    ("200", 1.00),
)


def _status_case(column: str) -> str:
    branches = " ".join(f"WHEN {column} < {share} THEN '{code}'" for code, share in STATUS_MIX)
    return f"CASE {branches} END"


def _units(order_id: str) -> str:
    """The unit numbers of an order: 1 to 6 units, 3.5 on average."""
    return f"generate_series(1, (1 + ({order_id}::bigint * 7919) % 6)::int)"


def _unit_product(order_id: str, unit: str, products: int) -> str:
    return f"(1 + (({order_id}::bigint * 31 + {unit} * 7717) % {products}))"


def _unit_price(order_id: str, unit: str, products: int) -> str:
    return f"(9.99 + {_unit_product(order_id, unit, products)} % 500)"


def statements(scale: Scale) -> list[tuple[str, str]]:
    """(label, SQL) in load order; ids are explicit so rows can refer to each other arithmetically."""
    n_channels = len(CHANNELS)
    channel_values = ", ".join(f"({i + 1}, '{name}')" for i, name in enumerate(CHANNELS))
    return [
        ("settings", "SET synchronous_commit = off; SET maintenance_work_mem = '256MB'; SELECT setseed(0.42)"),
        (
            "lists and channels",
            f"""
            INSERT INTO catalog_pricelist (id, created_date, modified_date, name, code, currency, is_auto_sync)
            SELECT i, now() - interval '400 days', now() - interval '400 days', 'Price list ' || i, 'PL' || i, 'try', false
            FROM generate_series(1, {n_channels}) i;
            INSERT INTO catalog_stocklist (id, created_date, modified_date, name, code, is_auto_sync)
            SELECT i, now() - interval '400 days', now() - interval '400 days', 'Stock list ' || i, 'SL' || i, false
            FROM generate_series(1, {n_channels}) i;
            INSERT INTO catalog_catalog (id, created_date, modified_date, name, price_list_id, stock_list_id)
            SELECT i, now() - interval '400 days', now() - interval '400 days', 'Catalog ' || i, i, i
            FROM generate_series(1, {n_channels}) i;
            INSERT INTO channels_channel (id, created_date, modified_date, name, channel_type, is_active, conf,
                                          catalog_id, category_tree, schema)
            SELECT c.id, now() - interval '400 days', now() - interval '400 days', c.name, 'web', true,
                   '{{"api_token": "hidden", "region": "tr"}}'::jsonb, c.id, NULL, '{{}}'::jsonb
            FROM (VALUES {channel_values}) AS c(id, name);
            INSERT INTO channels_country (id, created_date, modified_date, name, code, is_active)
            VALUES (1, now(), now(), 'Türkiye', 'tr', true);
            INSERT INTO channels_city (id, created_date, modified_date, name, is_active, country_id)
            SELECT i, now(), now(), 'City ' || i, true, 1 FROM generate_series(1, 10) i;
            INSERT INTO channels_township (id, created_date, modified_date, name, is_active, city_id)
            SELECT i, now(), now(), 'Township ' || i, true, 1 + (i - 1) % 10 FROM generate_series(1, 20) i;
            INSERT INTO channels_district (id, created_date, modified_date, name, postcode, is_active, city_id, township_id)
            SELECT i, now(), now(), 'District ' || i, lpad(i::text, 5, '3'), true, 1 + (i - 1) % 10, 1 + (i - 1) % 20
            FROM generate_series(1, 40) i;
            INSERT INTO channels_cargocompany (id, created_date, modified_date, name, erp_code, shipping_company, is_active)
            VALUES (1, now(), now(), 'Yurtiçi', 'YK', 'yurtici', true), (2, now(), now(), 'Aras', 'AR', 'aras', true);
            INSERT INTO channels_paymentoption (id, created_date, modified_date, name, slug, payment_type, is_active)
            VALUES (1, now(), now(), 'Credit card', 'credit-card', 'credit_card', true),
                   (2, now(), now(), 'Pay on delivery', 'pay-on-delivery', 'pay_on_delivery', true)
            """,
        ),
        (
            "products, images, prices, stock",
            f"""
            INSERT INTO catalog_product (id, created_date, modified_date, name, sku, base_code, barcode, is_active,
                attributes, attributes_kwargs, localized_attributes, localized_attributes_kwargs, extra_attributes,
                product_type)
            SELECT i, now() - interval '400 days', now() - (i % 300) * interval '1 day', 'Product ' || i,
                   'SKU-' || lpad(i::text, 6, '0'), 'BASE-' || (i / 4), '869' || lpad(i::text, 10, '0'), true,
                   jsonb_build_object('color', (ARRAY['red', 'blue', 'black', 'white'])[1 + i % 4],
                                      'size', (ARRAY['S', 'M', 'L', 'XL'])[1 + (i / 4) % 4]),
                   '{{}}', '{{}}', '{{}}', '{{}}', 0
            FROM generate_series(1, {scale.products}) i;
            INSERT INTO catalog_productimage (id, created_date, modified_date, url, "order", product_id)
            SELECT i, now(), now(), 'https://cdn.example.com/p/' || i || '.jpg', 0, i
            FROM generate_series(1, {scale.products}) i;
            INSERT INTO catalog_productprice (id, created_date, modified_date, price, retail_price, tax_rate,
                extra_field, price_list_id, product_id)
            SELECT (l - 1) * {scale.products} + p, now(), now(), 9.99 + p % 500, 19.99 + p % 500, 20,
                   '{{}}', l, p
            FROM generate_series(1, {n_channels}) l, generate_series(1, {scale.products}) p;
            INSERT INTO catalog_productstock (id, created_date, modified_date, stock, unit_type,
                sold_quantity_unreported, extra_field, product_id, stock_list_id)
            SELECT (l - 1) * {scale.products} + p, now(), now(), 100000000, 'qty', 0, '{{}}', p, l
            FROM generate_series(1, {n_channels}) l, generate_series(1, {scale.products}) p
            """,
        ),
        (
            "customers and addresses",
            f"""
            INSERT INTO channels_customer (id, created_date, modified_date, channel_id, email, first_name, last_name,
                phone_number, channel_code, is_active, email_allowed, sms_allowed, call_allowed, attributes, extra_field)
            SELECT i, now() - interval '400 days', now() - interval '400 days', 1 + i % {n_channels},
                   'customer' || i || '@example.com', 'First' || i, 'Last' || i, '+90555' || lpad(i::text, 7, '0'),
                   'C' || i, true, false, false, false, '{{}}', '{{}}'
            FROM generate_series(1, {scale.customers}) i;
            INSERT INTO channels_address (id, created_date, modified_date, channel_id, customer_id, title, email,
                phone_number, first_name, last_name, country_id, city_id, township_id, district_id, line, postcode,
                e_bill_taxpayer, is_active, extra_field, hash_data)
            SELECT i, now() - interval '400 days', now() - interval '400 days', 1 + i % {n_channels}, i, 'Home',
                   'customer' || i || '@example.com', '+90555' || lpad(i::text, 7, '0'), 'First' || i, 'Last' || i,
                   1, 1 + i % 10, 1 + i % 20, 1 + i % 40, 'Street ' || i || ' No ' || (i % 90 + 1),
                   lpad((i % 40 + 1)::text, 5, '3'), false, true, '{{}}', md5('address' || i)
            FROM generate_series(1, {scale.customers}) i
            """,
        ),
        (
            "orders",
            f"""
            INSERT INTO orders_order (id, created_date, modified_date, channel_id, number, status, date_placed,
                customer_id, shipping_address_id, billing_address_id, currency, amount, shipping_amount,
                shipping_interest_amount, discount_amount, refund_amount, discount_refund_amount,
                shipping_refund_amount, installment_interest_amount, extra_field, payment_option_id,
                payment_option_slug, installment_count, installment_free, cargo_company_id, is_send,
                funds_transfer_transactions, has_gift_box, client_type, cancellation_info, remote_addr)
            SELECT o.id, o.placed, o.placed + o.lag, 1 + o.customer % {n_channels}, 'BN' || lpad(o.id::text, 9, '0'),
                   o.status, o.placed, o.customer, o.customer, o.customer, 'try',
                   (SELECT sum({_unit_price("o.id", "u", scale.products)}) FROM {_units("o.id")} AS u),
                   29.90, 0, 0, 0, 0, 0, 0,
                   '{{}}', 1 + o.id % 2, CASE WHEN o.id % 2 = 0 THEN 'pay-on-delivery' ELSE 'credit-card' END,
                   1, false, 1 + o.id % 2, NOT (o.status = '400' AND o.id % 6 = 0) AND o.status >= '400',
                   '[]', false, 'web', '{{}}', '10.0.0.1'
            FROM (
                SELECT id, {_status_case("r")} AS status, 1 + floor(random() * {scale.customers})::int AS customer,
                       now() - (365 * (1 - r) + random() * 5) * interval '1 day' AS placed,
                       (random() * 7) * interval '1 day' * (1 - r) AS lag
                FROM (SELECT id, random() AS r FROM generate_series(1, {scale.orders}) id) AS seed
            ) AS o
            """,
        ),
        (
            "order items",
            f"""
            INSERT INTO orders_orderitem (id, created_date, modified_date, order_id, channel_id, product_id, status,
                price_currency, price, retail_price, tax_rate, tax_amount, discount_amount, price_list_id,
                stock_list_id, is_tradable, extra_field, attributes, attributes_kwargs, localized_attributes,
                localized_attributes_kwargs, shipping_company, tracking_number, image)
            SELECT row_number() OVER (ORDER BY o.id, u.n), o.date_placed, LEAST(now(), o.modified_date),
                   o.id, o.channel_id, x.product,
                   CASE WHEN u.n = 2 AND o.id % 20 = 0 THEN '100' ELSE o.status END, 'try', x.price, x.price + 10,
                   20, round(x.price / 6, 2), 0, o.channel_id, o.channel_id, true, '{{}}', '{{}}', '{{}}', '{{}}', '{{}}',
                   CASE WHEN o.status >= '500' THEN 'yurtici' END,
                   CASE WHEN o.status >= '500' THEN 'TRK' || o.id END, ''
            FROM orders_order o
            CROSS JOIN LATERAL {_units("o.id")} AS u(n)
            CROSS JOIN LATERAL (
                SELECT {_unit_product("o.id", "u.n", scale.products)} AS product,
                       {_unit_price("o.id", "u.n", scale.products)} AS price
            ) AS x
            """,
        ),
        ("sequences", _reset_sequences_sql()),
    ]


SEQUENCED_TABLES = (
    "catalog_pricelist", "catalog_stocklist", "catalog_catalog", "channels_channel", "channels_country",
    "channels_city", "channels_township", "channels_district", "channels_cargocompany", "channels_paymentoption", "catalog_product",
    "catalog_productimage", "catalog_productprice", "catalog_productstock", "channels_customer", "channels_address",
    "orders_order", "orders_orderitem",
)  # fmt: skip
BULK_TABLES = (
    "orders_order", "orders_orderitem", "channels_customer", "channels_address", "catalog_product",
    "catalog_productimage", "catalog_productprice", "catalog_productstock",
)  # fmt: skip


def _reset_sequences_sql() -> str:
    return "; ".join(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        for table in SEQUENCED_TABLES
    )


def _droppable_indexes(cursor, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the plain indexes on ``tables`` (not primary keys or constraints)."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [list(tables)],
    )
    return cursor.fetchall()


def _foreign_keys(cursor, tables: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the foreign keys declared on ``tables``."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
        WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
        """,
        [list(tables)],
    )
    return cursor.fetchall()


def generate(connection, scale: Scale, log=print) -> float:
    """Load the data set into the (migrated, empty) database; return the seconds it took."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        indexes = _droppable_indexes(cursor, BULK_TABLES)
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Deferred row-by-row foreign-key checks would cost more than the load; one join per key instead.
        foreign_keys = _foreign_keys(cursor, BULK_TABLES)
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for label, sql in statements(scale):
            step = time.monotonic()
            cursor.execute(sql)
            log(f"  {label}: {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        for _, definition in indexes:
            cursor.execute(definition)
        log(f"  {len(indexes)} indexes rebuilt: {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        log(f"  {len(foreign_keys)} foreign keys restored and checked: {time.monotonic() - step:.1f} s")
    connection.commit()
    return time.monotonic() - started


def store_scale(connection, scale: Scale, seconds: float) -> None:
    """Record what was generated and how long it took, so a later run can reuse the database."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
        cursor.execute(f"DELETE FROM {META_TABLE}")
        cursor.execute(f"INSERT INTO {META_TABLE} VALUES ('scale', %s), ('seconds', %s)", [scale.key, f"{seconds:.1f}"])
    connection.commit()


def vacuum_analyze(connection) -> None:
    """Set the visibility map and planner statistics, as autovacuum would after a bulk load."""
    autocommit = connection.autocommit
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    finally:
        connection.autocommit = autocommit


def stored_scale(connection) -> tuple[str, float] | None:
    """(scale key, generation seconds) of a database generated earlier, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [META_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT key, value FROM {META_TABLE}")
        meta = dict(cursor.fetchall())
    connection.commit()
    if "scale" not in meta:
        return None
    return meta["scale"], float(meta.get("seconds", "0"))
