#!/usr/bin/env python
"""Throughput of POST /api/v1/channel/{id}/create_orders/ under gunicorn on PostgreSQL.

Prepares a scratch database (``--database``, dropped and re-created), loads the
demo world, raises its stock so that no order is refused, starts gunicorn on a free local port,
posts a bounded number of orders (3 items each by default) from a fixed number of client threads
within a time limit, prints orders/second, latency percentiles and errors, and stops the server.

    python bench/create_orders_rate.py --requests 1000 --threads 8 --workers 4

Talks only to the server it starts, on 127.0.0.1.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess  # starts only this project's manage.py and gunicorn  # nosec B404
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_server_arguments(parser, database="omnitron_bench")
    parser.add_argument("--requests", type=int, default=1000, help="Orders to post (measured).")
    parser.add_argument("--warmup", type=int, default=40, help="Orders posted first and not measured.")
    parser.add_argument("--threads", type=int, default=8, help="Concurrent client threads.")
    parser.add_argument("--items", type=int, default=3, help="Items (distinct products) per order.")
    parser.add_argument("--time-limit", type=float, default=180.0, help="Seconds before posting stops.")
    return parser.parse_args()


def add_server_arguments(parser: argparse.ArgumentParser, *, database: str) -> None:
    """The scratch database and the gunicorn options shared by the bench and the soak."""
    parser.add_argument("--database", default=database, help="Scratch PostgreSQL database; dropped and re-created.")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (WEB_CONCURRENCY).")
    parser.add_argument("--keep-db", action="store_true", help="Leave the database in place afterwards.")


def admin_execute(pg: str, statement: str) -> None:
    connection = psycopg2.connect(f"{pg}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def prepare_database(args, env: dict) -> dict:
    """Fresh database, migrations, the demo world; returns the demo's ids and token."""
    admin_execute(args.pg, f'DROP DATABASE IF EXISTS "{args.database}"')
    admin_execute(args.pg, f'CREATE DATABASE "{args.database}"')
    # Fixed argument lists: nothing from outside reaches these commands.
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603  # nosec B603
    output = subprocess.run(  # noqa: S603  # fixed argument list  # nosec B603
        [PYTHON, "manage.py", "seed_demo", "--json"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    info = json.loads(output.strip().splitlines()[-1])
    connection = psycopg2.connect(env["DATABASE_URL"])
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("UPDATE catalog_productstock SET stock = 100000000")
    finally:
        connection.close()
    return info


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, env: dict, port: int) -> subprocess.Popen:
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_ACCESSLOG": "/dev/null",
        "GUNICORN_LOGLEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    command = [GUNICORN, "-c", "gunicorn.conf.py", "omnitron.wsgi"]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env)  # noqa: S603  # fixed argument list  # nosec B603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not become healthy within 30 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def order_body(info: dict, number: str, index: int, items: int) -> bytes:
    products = info["product_ids"]
    chosen = [products[(index + offset) % len(products)] for offset in range(items)]
    return json.dumps(
        {
            "order": {
                "number": number,
                "channel": info["channel_id"],
                "customer": info["customer_id"],
                "shipping_address": info["address_id"],
                "billing_address": info["address_id"],
                "cargo_company": info["cargo_company_id"],
                "payment_option": info["payment_option_id"],
                "currency": "try",
                "amount": f"{100 * items}.00",
                "shipping_amount": "29.90",
            },
            "order_item": [{"product": pk, "price": "100.00", "quantity": 1, "tax_rate": "20"} for pk in chosen],
        }
    ).encode()


class Client:
    """One keep-alive-capable HTTP connection per thread."""

    local = threading.local()

    def __init__(self, port: int, token: str, channel_id: int):
        self.port = port
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.path = f"/api/v1/channel/{channel_id}/create_orders/"

    def post(self, body: bytes) -> tuple[int, float, bytes]:
        started = time.perf_counter()
        status, content = keepalive_request(self.local, self.port, "POST", self.path, body, self.headers)
        return status, time.perf_counter() - started, content


def keepalive_request(local: threading.local, port: int, method: str, path: str, body, headers) -> tuple[int, bytes]:
    """One request over this thread's connection to 127.0.0.1:``port`` (opened on first use, dropped
    after a failure); status 0 and the error text when the request did not get through."""
    connection = getattr(local, "connection", None)
    if connection is None:
        connection = local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        local.connection = None
        return 0, str(exc).encode()


def run(client: Client, info: dict, args, count: int, prefix: str, deadline: float) -> tuple[list, float, int]:
    """Post ``count`` orders from ``args.threads`` threads; stop submitting at ``deadline``."""
    results = []
    skipped = 0

    def one(index: int):
        if time.monotonic() > deadline:
            return None
        return client.post(order_body(info, f"{prefix}-{index}", index, args.items))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        futures = [pool.submit(one, index) for index in range(count)]
        for future in as_completed(futures):
            result = future.result()
            if result is None:
                skipped += 1
            else:
                results.append(result)
    return results, time.perf_counter() - started, skipped


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "DJANGO_SETTINGS_MODULE": "omnitron.settings",
        "DJANGO_DEBUG": "0",
        # Throughput, not the per-token quota, is measured here.
        "API_THROTTLE_CREATE_ORDERS": "off",
        "API_THROTTLE_WRITE": "off",
        "API_THROTTLE_READ": "off",
    }
    print(f"Preparing {args.database} ...", flush=True)
    info = prepare_database(args, env)
    port = free_port()
    server = start_server(args, env, port)
    try:
        client = Client(port, info["token"], info["channel_id"])
        run_id = uuid.uuid4().hex[:8]
        deadline = time.monotonic() + args.time_limit
        run(client, info, args, args.warmup, f"WARM-{run_id}", deadline)
        results, elapsed, skipped = run(client, info, args, args.requests, f"BENCH-{run_id}", deadline)
    finally:
        stop_server(server)
        if not args.keep_db:
            admin_execute(args.pg, f'DROP DATABASE IF EXISTS "{args.database}"')

    created = [latency for status, latency, _ in results if status == 201]
    errors: dict[int, int] = {}
    samples: dict[int, bytes] = {}
    for status, _, content in results:
        if status != 201:
            errors[status] = errors.get(status, 0) + 1
            samples.setdefault(status, content[:300])
    latencies = [latency for _, latency, _ in results]
    print(
        f"create_orders: {len(created)} orders with {args.items} items each in {elapsed:.2f} s "
        f"= {len(created) / elapsed:.1f} orders/s "
        f"({args.threads} client threads, {args.workers} gunicorn workers, PostgreSQL)"
    )
    if latencies:
        print(
            f"latency: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p95 {percentile(latencies, 0.95) * 1000:.1f} ms, "
            f"max {max(latencies) * 1000:.1f} ms, mean {statistics.mean(latencies) * 1000:.1f} ms"
        )
    print(f"errors: {sum(errors.values())} {errors or ''}; not sent (time limit): {skipped}")
    for status, sample in samples.items():
        print(f"  {status}: {sample.decode(errors='replace')}")
    if errors or skipped:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
