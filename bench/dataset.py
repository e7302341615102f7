"""The benchmark data set, generated inside PostgreSQL with ``INSERT ... SELECT generate_series``.

At the default scale: 5 channels (each with its price and stock list), 50,000 products (one image,
a price and a stock row per list), 100,000 customers with an address each, 300,000 orders and
about 1,050,000 order items (1-6 units per order) with a realistic status mix, dates spread over
the last year, and a sixth of the approved orders still waiting for the ERP (``is_send`` false);
the units of orders not yet prepared hold a stock reservation each (about a fifth of them).
Channel 1's app has sent its orders, products and stock rows (about 160,000 integration actions,
each with its outbox row): one in 20 of each changed since (a second outbox row, so the "updates"
feeds offer them), and one in 200 orders and stock rows is in a batch still open (``processing``).
The indexes and foreign keys of the large tables are dropped during the load and restored
afterwards (each key checked by one join), several times faster than maintaining them row by row.

Used by ``bench/run.py`` and, at a tiny scale, by the floor test; the tables must exist
(``manage.py migrate``) and be empty.
"""

import time
from dataclasses import dataclass

CHANNELS = ("Web", "Mobile app", "Trendyol", "Hepsiburada", "Store")
# Channel 1's sync state: of its objects of a kind by id, every CHANGED_EVERY-th one (the first,
# then every 20th) changed after it was sent, and every PROCESSING_EVERY-th order and stock row is
# in an open batch (those are among the changed ones).
CHANGED_EVERY = 20
PROCESSING_EVERY = 200
META_TABLE = "bench_meta"


@dataclass(frozen=True)
class Scale:
    orders: int = 300_000
    products: int = 50_000
    customers: int = 100_000

    @property
    def key(self) -> str:
        """What a stored database holds: the sizes and the version of the generation below."""
        return f"v{VERSION},orders={self.orders},products={self.products},customers={self.customers}"


# Bumped whenever the generated rows change, so that a database built by an older version is rebuilt.
VERSION = 2


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


# Items of these statuses still hold their unit's stock reservation (the ERP has not taken it over).
HELD_STATUSES = ("200", "300", "400")


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
                localized_attributes_kwargs, shipping_company, tracking_number, image, reservation_id)
            SELECT row_number() OVER (ORDER BY o.id, u.n), o.date_placed, LEAST(now(), o.modified_date),
                   o.id, o.channel_id, x.product,
                   CASE WHEN u.n = 2 AND o.id % 20 = 0 THEN '100' ELSE o.status END, 'try', x.price, x.price + 10,
                   20, round(x.price / 6, 2), 0, o.channel_id, o.channel_id, true, '{{}}', '{{}}', '{{}}', '{{}}', '{{}}',
                   CASE WHEN o.status >= '500' THEN 'yurtici' END,
                   CASE WHEN o.status >= '500' THEN 'TRK' || o.id END, '',
                   CASE WHEN o.status IN {HELD_STATUSES} AND NOT (u.n = 2 AND o.id % 20 = 0)
                        THEN row_number() OVER (ORDER BY o.id, u.n) END
            FROM orders_order o
            CROSS JOIN LATERAL {_units("o.id")} AS u(n)
            CROSS JOIN LATERAL (
                SELECT {_unit_product("o.id", "u.n", scale.products)} AS product,
                       {_unit_price("o.id", "u.n", scale.products)} AS price
            ) AS x
            """,
        ),
        (
            "stock reservations",
            f"""
            INSERT INTO catalog_stockreservation (id, created_date, modified_date, stock_id, quantity, released_at,
                release_reason)
            SELECT reservation_id, created_date, created_date, (stock_list_id - 1) * {scale.products} + product_id, 1,
                   NULL, NULL
            FROM orders_orderitem WHERE reservation_id IS NOT NULL
            """,
        ),
        ("integration actions and outbox", _integrations_sql()),
        ("sequences", _reset_sequences_sql()),
    ]


def _content_type(app_label: str, model: str) -> str:
    return f"(SELECT id FROM django_content_type WHERE app_label = '{app_label}' AND model = '{model}')"


def _integrations_sql() -> str:
    """Channel 1's integration actions, batches and outbox rows, consistent with each other.

    Every object sent has an outbox row of the version sent (``synced_seq``); one changed since
    has a second, later one (``pending_seq``, its current ``modified_date``; the version sent is an
    hour older). Orders and stock rows in an open batch (``sent_to_remote``) are ``processing``
    with their state before the batch in ``previous_*``; the others belong to a done batch.
    """
    order, product, stock = (
        _content_type("orders", "order"),
        _content_type("catalog", "product"),
        _content_type("catalog", "productstock"),
    )
    # (batch id, content type, status): a done batch per kind, and an open one for orders and stock.
    batches = ((1, order, "done"), (2, product, "done"), (3, stock, "done"), (4, order, "sent_to_remote"), (5, stock, "sent_to_remote"))  # fmt: skip
    batch_values = ", ".join(f"({pk}, {ct}, '{status}')" for pk, ct, status in batches)
    return f"""
    INSERT INTO integrations_batchrequest (id, created_date, modified_date, channel_id, local_batch_id,
        remote_batch_id, content_type_id, status, objects, log_file)
    SELECT b.id, now() - interval '1 hour', now() - interval '10 minutes', 1, md5('batch' || b.id)::uuid,
           'R' || b.id, b.ct, b.status, NULL, NULL
    FROM (VALUES {batch_values}) AS b(id, ct, status);
    CREATE TEMP TABLE bench_sent ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY s.kind, s.object_id) AS n, s.*,
           s.rank % {CHANGED_EVERY} = 1 AS changed, s.kind <> 2 AND s.rank % {PROCESSING_EVERY} = 1 AS processing
    FROM (
        SELECT 1 AS kind, {order} AS ct, id AS object_id, 1 AS channel_id, modified_date AS version,
               row_number() OVER (ORDER BY id) AS rank
        FROM orders_order WHERE channel_id = 1
        UNION ALL
        SELECT 2, {product}, id, NULL, modified_date, row_number() OVER (ORDER BY id) FROM catalog_product
        UNION ALL
        SELECT 3, {stock}, id, NULL, modified_date, row_number() OVER (ORDER BY id)
        FROM catalog_productstock WHERE stock_list_id = 1
    ) AS s;
    CREATE TEMP TABLE bench_changed ON COMMIT DROP AS
    SELECT (SELECT count(*) FROM bench_sent) + row_number() OVER (ORDER BY n) AS seq, n
    FROM bench_sent WHERE changed;
    INSERT INTO integrations_change (id, channel_id, content_type_id, object_id, kind, version_date, txid, created_date)
    SELECT s.n, s.channel_id, s.ct, s.object_id, 'changed',
           CASE WHEN s.changed THEN s.version - interval '1 hour' ELSE s.version END,
           pg_current_xact_id()::text::bigint, now() - interval '2 hours'
    FROM bench_sent s
    UNION ALL
    SELECT c.seq, s.channel_id, s.ct, s.object_id, 'changed', s.version, pg_current_xact_id()::text::bigint,
           now() - interval '30 minutes'
    FROM bench_changed c JOIN bench_sent s USING (n);
    INSERT INTO integrations_integrationaction (id, created_date, modified_date, channel_id, content_type_id,
        object_id, remote_id, version_date, state, local_batch_id, status, failed_reason_type, synced_seq,
        pending_seq, previous_exists, previous_status, previous_version_date, previous_local_batch_id,
        previous_synced_seq, previous_failed_reason_type)
    SELECT s.n, now() - interval '2 hours', now() - interval '1 hour', 1, s.ct, s.object_id, 'M' || s.object_id,
           CASE WHEN s.changed THEN s.version - interval '1 hour' ELSE s.version END, '{{}}',
           md5('batch' || CASE WHEN s.processing THEN 4 + s.kind / 2 ELSE s.kind END)::uuid,
           CASE WHEN s.processing THEN 'processing' ELSE 'success' END, NULL, s.n, COALESCE(c.seq, s.n),
           true, CASE WHEN s.processing THEN 'success' END,
           CASE WHEN s.processing THEN s.version - interval '2 hours' END,
           CASE WHEN s.processing THEN md5('batch' || s.kind)::uuid END, CASE WHEN s.processing THEN s.n ELSE 0 END,
           NULL
    FROM bench_sent s LEFT JOIN bench_changed c USING (n)
    """


SEQUENCED_TABLES = (
    "catalog_pricelist", "catalog_stocklist", "catalog_catalog", "channels_channel", "channels_country",
    "channels_city", "channels_township", "channels_district", "channels_cargocompany", "channels_paymentoption", "catalog_product",
    "catalog_productimage", "catalog_productprice", "catalog_productstock", "channels_customer", "channels_address",
    "orders_order", "orders_orderitem", "catalog_stockreservation", "integrations_batchrequest", "integrations_integrationaction",
    "integrations_change",
)  # fmt: skip
BULK_TABLES = (
    "orders_order", "orders_orderitem", "channels_customer", "channels_address", "catalog_product",
    "catalog_productimage", "catalog_productprice", "catalog_productstock", "catalog_stockreservation",
    "integrations_integrationaction", "integrations_change",
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
