"""Soak: mixed reads and create_orders against gunicorn on PostgreSQL for a bounded time, then audit.

Prepares a scratch database (``--database``, dropped and re-created) with the demo world and a
limited stock per product (so that some orders are refused for stock), starts gunicorn on
127.0.0.1 (a free port in 8850-8899), and runs ``--concurrency`` client threads for
``--duration`` seconds: list and detail reads over the API families, create_orders (some with an
Idempotency-Key and a replay, some re-sending a number already created). Then it checks:

- no 5xx and no failed connection;
- no duplicate order (channel, number), and every order answered 201 exists exactly once;
- the stock ledger: every stock row is unchanged, its active reservations grew by exactly the units
  of the orders created, every new reservation belongs to an item, and none is oversold.

    python -m bench.soak --duration 300 --concurrency 16

Talks only to the server it starts, on 127.0.0.1; throttles are set high enough not to refuse.
"""

import argparse
import json
import os
import random
import socket
import threading
import time
import uuid
from collections import Counter

import psycopg2

from bench.server import (
    add_server_arguments,
    admin_execute,
    keepalive_request,
    prepare_demo_database,
    start_server,
    stop_server,
)

PORTS = range(8850, 8900)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_server_arguments(parser, database="omnitron_soak")
    parser.add_argument("--duration", type=float, default=300.0, help="Seconds of load.")
    parser.add_argument("--concurrency", type=int, default=16, help="Client threads.")
    parser.add_argument("--stock", type=int, default=1500, help="Units of each demo product in stock at the start.")
    parser.add_argument("--writes", type=float, default=0.3, help="Share of requests that are create_orders.")
    parser.add_argument("--redis", default="", help="REDIS_URL for the server (shared throttle counters).")
    parser.add_argument("--seed", type=int, default=8, help="Random seed of the request mix.")
    return parser.parse_args(argv)


def local_port() -> int:
    """A free port in 8850-8899 on 127.0.0.1."""
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port in 8850-8899")


class Client:
    """One keep-alive connection per thread; every answer is tallied."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.local = threading.local()
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.failures: list[str] = []

    def request(self, label: str, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        payload = json.dumps(body).encode() if body is not None else None
        status, content = keepalive_request(
            self.local, self.port, method, path, payload, {**self.headers, **(headers or {})}
        )
        with self.lock:
            self.statuses[(label, status)] += 1
            if status == 0 or status >= 500:
                self.failures.append(f"{label} {method} {path}: {status} {content[:300]!r}")
        return status, content


def order_body(info: dict, number: str, rng: random.Random) -> tuple[dict, Counter]:
    """A create_orders body of 1-3 distinct products, 1-2 units each; and its units per product."""
    products = rng.sample(info["product_ids"], rng.randint(1, 3))
    units = Counter({product: rng.randint(1, 2) for product in products})
    amount = sum(units.values()) * 100
    body = {
        "order": {
            "number": number,
            "customer": info["customer_id"],
            "shipping_address": info["address_id"],
            "billing_address": info["address_id"],
            "cargo_company": info["cargo_company_id"],
            "payment_option": info["payment_option_id"],
            "currency": "try",
            "amount": f"{amount}.00",
        },
        "order_item": [
            {"product": product, "price": "100.00", "quantity": quantity} for product, quantity in units.items()
        ],
    }
    return body, units


class Worker:
    """One client thread's loop: a seeded mix of reads and writes until the deadline."""

    def __init__(self, index: int, client: Client, info: dict, args, run_id: str, tally: dict):
        self.index, self.client, self.info, self.args = index, client, info, args
        self.rng = random.Random(args.seed * 1000 + index)  # noqa: S311  # load mix, not security  # nosec B311
        self.prefix = f"SOAK-{run_id}-{index}"
        self.tally = tally
        self.created: list[str] = []

    def run(self, deadline: float) -> None:
        count = 0
        while time.monotonic() < deadline:
            count += 1
            if self.rng.random() < self.args.writes:
                self.write(count)
            else:
                self.read()

    def write(self, count: int) -> None:
        channel = self.info["channel_id"]
        path = f"/api/v1/channel/{channel}/create_orders/"
        roll = self.rng.random()
        if roll < 0.05 and self.created:
            # A number this thread already created: the database's unique constraint refuses it.
            body, _ = order_body(self.info, self.rng.choice(self.created), self.rng)
            status, content = self.client.request("create_orders duplicate", "POST", path, body)
            self.expect(status in {406, 429}, "duplicate number", status, content)
            return
        number = f"{self.prefix}-{count}"
        body, units = order_body(self.info, number, self.rng)
        headers = {"Idempotency-Key": f"{number}-key"} if roll < 0.2 else None
        status, content = self.client.request("create_orders", "POST", path, body, headers)
        if status == 201:
            self.record_created(number, json.loads(content)["pk"], units)
            if headers:
                replay, replayed = self.client.request("create_orders replay", "POST", path, body, headers)
                self.expect(
                    replay == 201 and json.loads(replayed)["pk"] == json.loads(content)["pk"],
                    "replay",
                    replay,
                    replayed,
                )
        else:
            self.expect(status in {406, 409, 429}, "create", status, content)

    def record_created(self, number: str, pk: int, units: Counter) -> None:
        self.created.append(number)
        with self.client.lock:
            self.tally["orders"][number] = pk
            self.tally["units"].update(units)

    def read(self) -> None:
        channel = self.info["channel_id"]
        choice = self.rng.choice(
            [
                ("order_items", f"/api/v1/channel/{channel}/order_items/?limit=50&sort=-id"),
                ("order_items detailed", f"/api/v1/channel/{channel}/order_items/detailed/?limit=20"),
                ("product_stocks", f"/api/v1/channel/{channel}/product_stocks/?limit=50"),
                ("i1 orders", "/api/i1/orders/?limit=20&sort=-id"),
                ("oms order_items", "/api/v1/oms/order_items/?limit=20"),
                ("order_statuses", "/api/v1/order_statuses/"),
                ("health", "/health/"),
            ]
        )
        status, content = self.client.request(choice[0], "GET", choice[1])
        self.expect(status in {200, 429}, choice[0], status, content)

    def expect(self, ok: bool, what: str, status: int, content: bytes) -> None:
        if not ok:
            with self.client.lock:
                self.tally["unexpected"].append(f"{what}: {status} {content[:300]!r}")


def ledger_snapshot(dsn: str) -> dict:
    """Per stock row: (stock, active reservations); and the highest reservation id."""
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id, s.product_id, s.stock, "
            "(SELECT coalesce(sum(r.quantity), 0) FROM catalog_stockreservation r "
            " WHERE r.stock_id = s.id AND r.released_at IS NULL) FROM catalog_productstock s"
        )
        rows = {stock_id: (product_id, stock, active) for stock_id, product_id, stock, active in cursor.fetchall()}
        cursor.execute("SELECT coalesce(max(id), 0) FROM catalog_stockreservation")
        max_reservation = cursor.fetchone()[0]
    connection.close()
    return {"stocks": rows, "max_reservation": max_reservation}


def audit(dsn: str, info: dict, before: dict, tally: dict) -> dict:
    """The end-of-run checks on the database; a dict of figures and a list of problems."""
    problems = []
    after = ledger_snapshot(dsn)
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM orders_order GROUP BY channel_id, number HAVING count(*) > 1) d"
        )
        duplicates = cursor.fetchone()[0]
        cursor.execute("SELECT number, id FROM orders_order WHERE number LIKE 'SOAK-%%'")
        stored = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM catalog_stockreservation r WHERE r.id > %s "
            "AND NOT EXISTS (SELECT 1 FROM orders_orderitem i WHERE i.reservation_id = r.id)",
            [before["max_reservation"]],
        )
        orphans = cursor.fetchone()[0]
    connection.close()
    if duplicates:
        problems.append(f"{duplicates} duplicate order numbers")
    if stored != tally["orders"]:
        lost = set(tally["orders"]) - set(stored)
        extra = set(stored) - set(tally["orders"])
        problems.append(f"orders answered 201 but missing: {len(lost)}; stored but never answered 201: {len(extra)}")
    if orphans:
        problems.append(f"{orphans} new reservations without an order item")
    channel_products = set(info["product_ids"])
    checked = 0
    for stock_id, (product_id, stock, active) in after["stocks"].items():
        _, old_stock, old_active = before["stocks"][stock_id]
        expected = old_active + (tally["units"][product_id] if product_id in channel_products else 0)
        checked += 1
        if stock != old_stock:
            problems.append(f"stock #{stock_id} changed from {old_stock} to {stock}")
        if active != expected:
            problems.append(f"stock #{stock_id}: {active} units reserved, ledger says {expected}")
        if active > stock:
            problems.append(f"stock #{stock_id} oversold: {active} reserved of {stock}")
    return {"duplicates": duplicates, "orders_stored": len(stored), "stock_rows_checked": checked, "problems": problems}


def run_soak(args) -> dict:
    """Prepare, serve, load, stop and audit; the figures of the run."""
    dsn = f"{args.pg}/{args.database}"
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "DJANGO_SETTINGS_MODULE": "omnitron.settings",
        "DJANGO_ENV": "local",
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "REDIS_URL": args.redis,
        "API_THROTTLE_READ": "100000/min",
        "API_THROTTLE_WRITE": "100000/min",
        "API_THROTTLE_CREATE_ORDERS": "100000/min",
    }
    info = prepare_demo_database(args.pg, args.database, env, stock=args.stock)
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        # ``--stock`` units available per product, on top of what the demo orders already hold.
        cursor.execute(
            "UPDATE catalog_productstock s SET stock = %s + (SELECT coalesce(sum(r.quantity), 0) "
            "FROM catalog_stockreservation r WHERE r.stock_id = s.id AND r.released_at IS NULL)",
            [args.stock],
        )
    connection.close()
    before = ledger_snapshot(dsn)
    port = local_port()
    server = start_server(env, port, args.workers)
    client = Client(port, info["token"])
    tally = {"orders": {}, "units": Counter(), "unexpected": []}
    run_id = uuid.uuid4().hex[:6]
    workers = [Worker(index, client, info, args, run_id, tally) for index in range(args.concurrency)]
    started = time.monotonic()
    try:
        threads = [threading.Thread(target=worker.run, args=(started + args.duration,)) for worker in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        elapsed = time.monotonic() - started
        stop_server(server)
    try:
        checks = audit(dsn, info, before, tally)
    finally:
        if not args.keep_db:
            admin_execute(args.pg, f'DROP DATABASE IF EXISTS "{args.database}"')
    requests = sum(client.statuses.values())
    by_status = Counter()
    for (_, status), count in client.statuses.items():
        by_status[status] += count
    return {
        "requests": requests,
        "seconds": round(elapsed, 1),
        "rps": round(requests / elapsed, 1),
        "statuses": dict(sorted(by_status.items())),
        "by_endpoint": {f"{label} {status}": count for (label, status), count in sorted(client.statuses.items())},
        "server_errors": sum(count for status, count in by_status.items() if status >= 500 or status == 0),
        "failures": client.failures[:20],
        "unexpected": tally["unexpected"][:20],
        "orders_created": len(tally["orders"]),
        "units_reserved": sum(tally["units"].values()),
        **checks,
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    print(
        f"Soak: {args.duration:.0f} s, {args.concurrency} client threads, {args.workers} gunicorn workers, "
        f"database {args.database} ...",
        flush=True,
    )
    result = run_soak(args)
    print(json.dumps(result, indent=2))
    print(
        f"{result['requests']} requests in {result['seconds']} s ({result['rps']} rps): "
        f"5xx/failed {result['server_errors']}, duplicates {result['duplicates']}, "
        f"orders created {result['orders_created']}, stock rows checked {result['stock_rows_checked']}, "
        f"problems {len(result['problems'])}, unexpected answers {len(result['unexpected'])}"
    )
    if result["server_errors"] or result["problems"] or result["unexpected"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
