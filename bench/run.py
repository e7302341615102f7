#!/usr/bin/env python
"""``make bench``: the app and its floor under gunicorn on a million order items, side by side.

1. Builds the PostgreSQL benchmark database (``bench/dataset.py``) or reuses it when it holds the
   same scale, then applies any new migrations.
2. Starts the app (``omnitron.wsgi``), the floor (``bench.floor:app``) and the naive DRF anchor
   (``bench.naive_wsgi``, port + 2) under the same gunicorn configuration on 127.0.0.1, with the
   same number of workers.
3. For each endpoint drives them at a fixed concurrency with keep-alive connections, alternating
   app, floor and naive in halves of ``--duration`` seconds so that drift on a noisy machine hits
   all three (create_orders and the channel-app feeds: app and floor only).
4. Records the SQL of each list request and its ``EXPLAIN ANALYZE`` at 1M rows, the statement
   count at limit 100 and 1000, and the workers' peak RSS after serving limit=1000 pages.
5. Walks one channel's items end to end by page/limit and by cursor, and reads its change stream
   from the start (``bench/walk.py``).
6. Writes ``bench/results/<name>.md`` and ``<name>.png`` and stops the servers.

    python bench/run.py --duration 20 --concurrency 4 --name 2026-01-01-pg15

Talks only to the servers it starts, on 127.0.0.1.
"""

import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset, walk
from bench.server import ROOT, admin_execute, migrate, start_server, stop_server

RESULTS = ROOT / "bench" / "results"
# The full-sync walk's default list: a channel's items (channel 1 holds a fifth of them).
WALK_PATH = "/api/v1/channel/1/order_items/"
# The change stream the second walk reads from its start (channel 1's outbox).
STREAM_PATH = "/api/v1/channel/1/changes/"


def add_database_arguments(parser: argparse.ArgumentParser) -> None:
    """The benchmark database's options (also used by ``bench/admin_search.py``)."""
    env = os.environ.get
    parser.add_argument("--database", default=env("BENCH_DATABASE", "omnitron_bench"), help="Benchmark database.")
    parser.add_argument("--pg", default=env("BENCH_PG", "postgres://postgres@127.0.0.1:5432"), help="Server URL.")
    parser.add_argument("--orders", type=int, default=int(env("BENCH_ORDERS", "300000")), help="Orders to generate.")
    parser.add_argument("--regenerate", action="store_true", help="Drop and rebuild the database.")


def parse_args() -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(parser)
    parser.add_argument("--duration", type=float, default=float(env("BENCH_DURATION", "20")), help="Seconds per side.")
    parser.add_argument(
        "--concurrency", type=int, default=int(env("BENCH_CONCURRENCY", "4")), help="Client connections."
    )
    parser.add_argument("--workers", type=int, default=int(env("BENCH_WORKERS", "4")), help="gunicorn workers.")
    parser.add_argument("--port", type=int, default=int(env("BENCH_PORT", "8700")), help="App port; floor +1.")
    parser.add_argument("--only", default=env("BENCH_ONLY", ""), help="Comma-separated endpoint names.")
    parser.add_argument("--name", default=env("BENCH_NAME", ""), help="Report name (default: date and host).")
    parser.add_argument("--no-naive", action="store_true", help="Leave out the naive DRF anchor (port + 2).")
    parser.add_argument(
        "--walk-limit", type=int, default=int(env("BENCH_WALK_LIMIT", "1000")), help="Page size of the full-sync walk."
    )
    parser.add_argument("--walk-repeats", type=int, default=7, help="Repeats of the walk's first and last page.")
    parser.add_argument("--walk-path", default=WALK_PATH, help="The list the full-sync walk follows.")
    parser.add_argument("--stream-path", default=STREAM_PATH, help="The change stream the second walk reads.")
    parser.add_argument("--no-walk", action="store_true", help="Skip the full-sync walks (items and change stream).")
    return parser.parse_args()


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``, else ``lscpu``), so that reports from different
    machines are not compared as if equal."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    lscpu = shutil.which("lscpu")
    output = subprocess.run([lscpu], capture_output=True, text=True, check=False).stdout if lscpu else ""  # nosec B603
    for line in output.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


# --- Database -----------------------------------------------------------------------------------


def database_exists(pg: str, name: str) -> bool:
    connection = psycopg2.connect(f"{pg}/postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def prepare_database(args, env: dict, scale: dataset.Scale) -> float:
    """Reuse or (re)build the benchmark database; return the seconds its generation took."""
    url = env["DATABASE_URL"]
    if args.regenerate or not database_exists(args.pg, args.database):
        stored = None
    else:
        connection = psycopg2.connect(url)
        stored = dataset.stored_scale(connection)
        connection.close()
    if stored is not None and stored[0] == scale.key:
        print(f"Reusing {args.database} ({stored[0]}, generated in {stored[1]:.0f} s); applying migrations", flush=True)
        migrate(env)
        return stored[1]
    print(f"Building {args.database} ({scale.key}) ...", flush=True)
    admin_execute(args.pg, f'DROP DATABASE IF EXISTS "{args.database}"')
    admin_execute(args.pg, f'CREATE DATABASE "{args.database}"')
    migrate(env)
    connection = psycopg2.connect(url)
    try:
        seconds = dataset.generate(connection, scale)
        step = time.monotonic()
        dataset.vacuum_analyze(connection)
        print(f"  vacuum analyze: {time.monotonic() - step:.1f} s", flush=True)
        seconds += time.monotonic() - step
        dataset.store_scale(connection, scale, seconds)
    finally:
        connection.close()
    print(f"Generated in {seconds:.0f} s", flush=True)
    return seconds


BENCH_USER_SQL = """
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
VALUES ('!', false, 'bench', '', '', 'bench@example.com', false, true, now())
ON CONFLICT (username) DO UPDATE SET is_active = true RETURNING id
"""


def bench_token(url: str) -> str:
    """A fresh token for the 'bench' user: a member of every channel who may create orders."""
    key = secrets.token_hex(20)
    connection = psycopg2.connect(url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(BENCH_USER_SQL)
            user_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO channels_channelmembership (created_date, modified_date, channel_id, user_id) "
                "SELECT now(), now(), id, %s FROM channels_channel ON CONFLICT DO NOTHING",
                [user_id],
            )
            cursor.execute(
                "INSERT INTO auth_user_user_permissions (user_id, permission_id) SELECT %s, id FROM auth_permission "
                "WHERE codename IN ('add_order', 'change_order', 'change_orderitem') ON CONFLICT DO NOTHING",
                [user_id],
            )
            cursor.execute(
                "INSERT INTO omnitron_apitoken (created_date, modified_date, user_id, name, kind, key_prefix, digest) "
                "VALUES (now(), now(), %s, 'bench', 'integration', %s, %s)",
                [user_id, key[:8], hashlib.sha256(key.encode()).hexdigest()],
            )
    finally:
        connection.close()
    return key


def sample_order_numbers(url: str, count: int = 500) -> list[str]:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT number FROM orders_order TABLESAMPLE SYSTEM (1) WHERE number LIKE 'BN%%' LIMIT %s", [count]
            )
            return [number for (number,) in cursor.fetchall()]
    finally:
        connection.close()


PENDING_ORDERS_SQL = """
SELECT count(*) FROM integrations_integrationaction ia JOIN django_content_type ct ON ct.id = ia.content_type_id
WHERE ia.channel_id = 1 AND ct.app_label = 'orders' AND ct.model = 'order' AND ia.pending_seq > ia.synced_seq
  AND ia.status IS DISTINCT FROM 'processing'
"""


def order_updates_pages(url: str, limit: int = 100) -> int:
    """How many full pages of ``limit`` channel 1's ``orders/updates/`` offers (at least 1)."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(PENDING_ORDERS_SQL)
            return max(1, cursor.fetchone()[0] // limit)
    finally:
        connection.close()


# --- Servers ------------------------------------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- Load ---------------------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    title: str
    paths: list[str]
    target: float  # p50 ratio to the floor that the issue asks for
    method: str = "GET"
    naive: bool = True  # the naive anchor serves it too (bench/naive.py)


@dataclass
class Side:
    latencies: list[float] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def order_body(number: str, index: int) -> bytes:
    customer = 1 + index * 5 % 99_995  # customers of channel 1 (id % 5 == 0 → channel 1)
    customer -= customer % 5
    products = [1 + (index * 3 + offset) % 50_000 for offset in range(3)]
    return json.dumps(
        {
            "order": {
                "number": number,
                "channel": 1,
                "customer": customer or 5,
                "shipping_address": customer or 5,
                "billing_address": customer or 5,
                "cargo_company": 1,
                "payment_option": 1,
                "currency": "try",
                "amount": "300.00",
                "shipping_amount": "29.90",
            },
            "order_item": [{"product": pk, "price": "100.00", "quantity": 1, "tax_rate": "20"} for pk in products],
        }
    ).encode()


def client_loop(job: tuple) -> tuple[list[float], dict[int, int]]:
    """One keep-alive connection sending requests until the deadline; (latencies, errors by status)."""
    port, token, endpoint, deadline, worker, prefix = job
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, errors, index = [], {}, 0
    while time.monotonic() < deadline:
        path = endpoint.paths[(worker + index * 7) % len(endpoint.paths)]
        body = order_body(f"{prefix}-{worker}-{index}", worker * 100_000 + index) if endpoint.method == "POST" else None
        index += 1
        started = time.perf_counter()
        try:
            connection.request(endpoint.method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status = 0
        elapsed = time.perf_counter() - started
        if status in (200, 201):
            latencies.append(elapsed)
        else:
            errors[status] = errors.get(status, 0) + 1
    connection.close()
    return latencies, errors


def drive(pool, port: int, token: str, endpoint: Endpoint, seconds: float, concurrency: int, side: Side) -> None:
    prefix = f"BENCH-{secrets.token_hex(4)}"
    started = time.monotonic()
    deadline = started + seconds
    jobs = [(port, token, endpoint, deadline, worker, prefix) for worker in range(concurrency)]
    for latencies, errors in pool.map(client_loop, jobs):
        side.latencies.extend(latencies)
        for status, count in errors.items():
            side.errors[status] = side.errors.get(status, 0) + count
    side.seconds += time.monotonic() - started


def endpoints(numbers: list[str], since: str, updates_pages: int = 1) -> list[Endpoint]:
    """The measured requests; ``updates_pages``: the full pages of channel 1's order feed at limit=100."""
    items = "/api/v1/channel/1/order_items/"
    order_updates = "/api/v1/channel/1/orders/updates/?limit=100"
    return [
        Endpoint("items", "channel order_items ?limit=100", [f"{items}?limit=100"], 1.5),
        Endpoint(
            "items_filtered",
            "channel order_items ?status=400&modified_date__gte=… &limit=100",
            [f"{items}?status=400&modified_date__gte={since}&limit=100"],
            1.5,
        ),
        Endpoint("detailed", "channel order_items/detailed ?limit=100", [f"{items}detailed/?limit=100"], 1.5),
        Endpoint("i1_number", "i1 orders ?number=<n>", [f"/api/i1/orders/?number={n}" for n in numbers], 1.5),
        Endpoint(
            "i1_queue",
            "i1 orders ?is_send=False&status=400&limit=100",
            ["/api/i1/orders/?is_send=False&status=400&limit=100"],
            1.5,
        ),
        Endpoint(
            "oms_number",
            "oms order_items ?order_number=<n>",
            [f"/api/v1/oms/order_items/?order_number={n}" for n in numbers],
            1.5,
        ),
        Endpoint("order_updates", "channel orders/updates ?limit=100", [order_updates], 1.5, naive=False),
        Endpoint(
            "order_updates_deep",
            f"channel orders/updates ?limit=100&page={updates_pages} (last full page)",
            [f"{order_updates}&page={updates_pages}"],
            1.5,
            naive=False,
        ),
        Endpoint(
            "stock_updates",
            "channel product_stocks/updates ?limit=100",
            ["/api/v1/channel/1/product_stocks/updates/?limit=100"],
            1.5,
            naive=False,
        ),
        Endpoint("create", "create_orders, 3 items (orders/s)", ["/api/v1/channel/1/create_orders/"], 1 / 0.7, "POST"),
    ]


# --- Plans ----------------------------------------------------------------------------------------


def capture_plans(env: dict, token: str, paths: list[str]) -> list[dict]:
    """Run bench/queries.py in a Django process; returns [{path, status, statements, plans}]."""
    code = (
        "import json, sys; from bench.queries import capture; "
        "print(json.dumps([c.__dict__ for c in capture(sys.argv[2:], sys.argv[1])]))"
    )
    # A repeated caller's statements: the token cache must not expire between a path's warm-up and
    # its recorded request while the plans of earlier paths are being explained.
    env = {**env, "API_AUTH_CACHE_SECONDS": "3600"}
    result = subprocess.run(
        [sys.executable, "-c", code, token, *paths], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout)


# --- Report ---------------------------------------------------------------------------------------


def chart(results: dict[str, tuple[Endpoint, Side, Side]], path: Path, naive: dict[str, Side] | None = None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [name for name in results if name != "create"] + (["create"] if "create" in results else [])
    fig, axes = plt.subplots(1, 3, figsize=(15, 5), sharey=False)
    for ax, (fraction, label) in zip(axes, ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")), strict=True):
        app = [results[name][1].percentile(fraction) for name in names]
        floor = [results[name][2].percentile(fraction) for name in names]
        positions = range(len(names))
        if naive:
            # Naive beside app and floor (0 where it was not run: create_orders).
            width = 0.27
            ax.bar([p - width for p in positions], app, width=width, label="app")
            ax.bar(list(positions), floor, width=width, label="floor")
            ax.bar(
                [p + width for p in positions],
                [naive[name].percentile(fraction) if name in naive else 0 for name in names],
                width=width,
                label="naive DRF",
            )
        else:
            ax.bar([p - 0.2 for p in positions], app, width=0.4, label="app")
            ax.bar([p + 0.2 for p in positions], floor, width=0.4, label="floor")
        ax.set_xticks(list(positions), names, rotation=35, ha="right")
        ax.set_title(f"{label} latency (ms)")
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# Tables that grow with the business; a sequential scan of a lookup table of a few rows is fine.
LARGE_TABLES = (
    "orders_orderitem", "orders_order", "catalog_product", "catalog_productimage", "catalog_productprice",
    "catalog_productstock", "channels_customer", "channels_address", "orders_orderevent", "catalog_stockreservation",
    "integrations_integrationaction", "integrations_change",
)  # fmt: skip


def big_seq_scan(line: str) -> bool:
    return any(f"Seq Scan on {table} " in line for table in LARGE_TABLES)


def fmt(value: float) -> str:
    return f"{value:.1f}"


def report(
    args,
    name: str,
    generation_seconds: float,
    results,
    plans_100,
    plans_1000,
    rss,
    chart_name,
    naive=None,
    walks=None,
    walk_plans=None,
    stream=None,
) -> str:
    lines = [
        f"# Benchmark {name}",
        "",
        f"- When: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; host: {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}.",
        f"- CPU: {cpu_model()}.",
        f"- Data: {args.orders:,} orders, ~{int(args.orders * 3.5):,} order items, 5 channels, 50,000 products, "
        f"100,000 customers (`bench/dataset.py`); generated in {generation_seconds:.0f} s.",
        f"- Load: {args.concurrency} keep-alive client connections per side, {args.duration:.0f} s per side and "
        f"endpoint (two alternating halves); gunicorn sync, {args.workers} workers for the app and for the floor.",
        "- Floor: `bench/floor.py`, the same SQL and the same JSON bytes without Django "
        "(`tests/bench/test_floor.py`). Ratio = app / floor (latency) and floor / app (req/s).",
        "",
        f"![latency percentiles]({chart_name})",
        "",
        "| endpoint | app p50 | p95 | p99 | req/s | floor p50 | p95 | p99 | req/s | p50 ratio | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--:|",
    ]
    for endpoint, app, floor in results.values():
        ratio = app.percentile(0.5) / floor.percentile(0.5)
        if endpoint.name == "create":
            ratio = floor.rate / app.rate if app.rate else float("inf")
            target = "≥ 70% of floor rate"
            met = app.rate >= 0.7 * floor.rate
        else:
            target = f"≤ {endpoint.target:g}×"
            met = ratio <= endpoint.target
        errors = f" (errors {app.errors} / {floor.errors})" if app.errors or floor.errors else ""
        lines.append(
            f"| {endpoint.title}{errors} | {fmt(app.percentile(0.5))} | {fmt(app.percentile(0.95))} | "
            f"{fmt(app.percentile(0.99))} | {app.rate:.0f} | {fmt(floor.percentile(0.5))} | "
            f"{fmt(floor.percentile(0.95))} | {fmt(floor.percentile(0.99))} | {floor.rate:.0f} | "
            f"{ratio:.2f}× | {target} | {'yes' if met else 'no'} |"
        )
    if "create" in results:
        _, app, floor = results["create"]
        lines += ["", f"create_orders: app {app.rate:.0f} orders/s, floor {floor.rate:.0f} orders/s "
                  f"= {100 * app.rate / floor.rate:.0f}% of the floor (target ≥ 70%)."]  # fmt: skip
    lines += ["", "Latencies in ms, measured by the client (connection kept alive).", ""]
    if naive:
        lines += naive_lines(results, naive)
    if walks:
        lines += walk.report_lines(walks, list_path=args.walk_path, limit=args.walk_limit, repeats=args.walk_repeats)
        lines += walk.plan_lines(walk_plans or [])
    if stream:
        lines += walk.stream_lines(
            stream, stream_path=args.stream_path, limit=args.walk_limit, repeats=args.walk_repeats
        )
    if rss:
        lines += [
            "## Memory",
            "",
            f"Peak RSS (VmHWM) of the app's workers after {rss['seconds']:.0f} s of "
            f"`{rss['path']}` at concurrency {args.concurrency}: max {rss['max']:.0f} MB "
            f"(all workers: {', '.join(f'{value:.0f}' for value in rss['workers'])} MB); target < 200 MB; floor workers "
            f"max {rss['floor_max']:.0f} MB.",
            "",
        ]
    lines += [
        "## Statements per request",
        "",
        "A repeated caller's (the token cache warm: no token or membership lookup).",
        "",
        "| request | limit=100 | limit=1000 |",
        "|---|---:|---:|",
    ]
    for small, large in zip(plans_100, plans_1000, strict=True):
        lines.append(f"| `{small['path']}` | {len(small['statements'])} | {len(large['statements'])} |")
    lines += ["", "## Query plans at 1M rows (EXPLAIN ANALYZE, limit=100)", ""]
    for captured in plans_100:
        seq = [line for plan in captured["plans"] for line in plan.splitlines() if big_seq_scan(line)]
        lines += [
            f"### `{captured['path']}`",
            "",
            f"Sequential scans of large tables: {', '.join(s.strip() for s in seq) or 'none'}.",
            "",
        ]
        lines += ["```", *"\n\n".join(captured["plans"]).splitlines(), "```", ""]
    return "\n".join(lines) + "\n"


def naive_lines(results, naive: dict[str, Side]) -> list[str]:
    """The naive DRF anchor beside the app and the floor: p50s and the two ratios per endpoint."""
    lines = [
        "## Beside a naive DRF build",
        "",
        "`bench/naive.py`: `ModelViewSet` + nested `ModelSerializer` + `PageNumberPagination` + "
        "`DjangoFilterBackend` with `select_related`/`prefetch_related`, DRF's JSON renderer, the same models, "
        "filters and token; served by the same gunicorn beside the app and the floor in the same run.",
        "",
        "| endpoint | naive p50 | p95 | p99 | req/s | app p50 | floor p50 | app / naive | naive / floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for endpoint_name, side in naive.items():
        endpoint, app, floor = results[endpoint_name]
        errors = f" (errors {side.errors})" if side.errors else ""
        lines.append(
            f"| {endpoint.title}{errors} | {fmt(side.percentile(0.5))} | {fmt(side.percentile(0.95))} | "
            f"{fmt(side.percentile(0.99))} | {side.rate:.0f} | {fmt(app.percentile(0.5))} | "
            f"{fmt(floor.percentile(0.5))} | {app.percentile(0.5) / side.percentile(0.5):.2f}× | "
            f"{side.percentile(0.5) / floor.percentile(0.5):.2f}× |"
        )
    lines += ["", "app / naive below 1 means the service is faster than the naive build (p50 latency).", ""]
    return lines


def rss_phase(pool, args, token, app_server, floor_server, path) -> dict:
    endpoint = Endpoint("rss", "limit=1000", [path], 0)
    seconds = max(5.0, args.duration / 2)
    drive(pool, args.port, token, endpoint, seconds, args.concurrency, Side())
    drive(pool, args.port + 1, token, endpoint, seconds, args.concurrency, Side())
    workers = [peak_rss_mb(pid) for pid in worker_pids(app_server.pid)]
    floor_workers = [peak_rss_mb(pid) for pid in worker_pids(floor_server.pid)]
    return {"path": path, "seconds": seconds, "workers": workers, "max": max(workers), "floor_max": max(floor_workers)}


def main() -> None:
    args = parse_args()
    url = f"{args.pg}/{args.database}"
    env = {**os.environ, "DATABASE_URL": url, "FLOOR_DATABASE_URL": url, "DJANGO_DEBUG": "0"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "omnitron.settings")
    # The throttles still run (their cost is measured) but must not refuse the load generator:
    # the floor has none, and 429s would count as errors instead of requests.
    for scope in ("READ", "WRITE", "CREATE_ORDERS"):
        env.setdefault(f"API_THROTTLE_{scope}", "1000000/min")
    scale = dataset.Scale(orders=args.orders)
    generation_seconds = prepare_database(args, env, scale)
    token = bench_token(url)
    numbers = sample_order_numbers(url)
    since = (datetime.now(UTC) - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    listed = endpoints(numbers, since, order_updates_pages(url))
    chosen = [e for e in listed if not args.only or e.name in args.only.split(",")]
    name = args.name or f"{datetime.now(UTC):%Y-%m-%d}-{platform.node()}"
    RESULTS.mkdir(parents=True, exist_ok=True)

    list_paths = [e.paths[0] for e in chosen if e.method == "GET"]
    print("Capturing statements and plans ...", flush=True)
    plans_100 = capture_plans(env, token, list_paths)
    plans_1000 = capture_plans(env, token, [p.replace("limit=100", "limit=1000") for p in list_paths])

    app_server = start_server(env, args.port, args.workers, "omnitron.wsgi")
    floor_server = start_server(env, args.port + 1, args.workers, "bench.floor:app")
    naive_server = None
    if not args.no_naive:
        naive_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.naive_settings"}
        naive_server = start_server(naive_env, args.port + 2, args.workers, "bench.naive_wsgi:application")
    results: dict[str, tuple[Endpoint, Side, Side]] = {}
    naive: dict[str, Side] = {}
    walks = stream = None
    try:
        with multiprocessing.get_context("fork").Pool(args.concurrency) as pool:
            for endpoint in chosen:
                app, floor = Side(), Side()
                with_naive = naive_server is not None and endpoint.method == "GET" and endpoint.naive
                warm = Endpoint(endpoint.name, "", endpoint.paths, 0, endpoint.method)
                drive(pool, args.port, token, warm, 1, args.concurrency, Side())
                drive(pool, args.port + 1, token, warm, 1, args.concurrency, Side())
                if with_naive:
                    naive[endpoint.name] = Side()
                    drive(pool, args.port + 2, token, warm, 1, args.concurrency, Side())
                for _ in range(2):
                    drive(pool, args.port, token, endpoint, args.duration / 2, args.concurrency, app)
                    drive(pool, args.port + 1, token, endpoint, args.duration / 2, args.concurrency, floor)
                    if with_naive:
                        drive(
                            pool,
                            args.port + 2,
                            token,
                            endpoint,
                            args.duration / 2,
                            args.concurrency,
                            naive[endpoint.name],
                        )
                results[endpoint.name] = (endpoint, app, floor)
                if with_naive:
                    side = naive[endpoint.name]
                    print(
                        f"{endpoint.name:15} naive p50 {side.percentile(0.5):7.1f} ms {side.rate:6.0f}/s  errors {side.errors}",
                        flush=True,
                    )
                print(
                    f"{endpoint.name:15} app p50 {app.percentile(0.5):7.1f} ms {app.rate:6.0f}/s  "
                    f"floor p50 {floor.percentile(0.5):7.1f} ms {floor.rate:6.0f}/s  errors {app.errors} {floor.errors}",
                    flush=True,
                )
            rss = rss_phase(
                pool, args, token, app_server, floor_server, "/api/v1/channel/1/order_items/detailed/?limit=1000"
            )
            print(
                f"peak worker RSS at limit=1000: app {rss['max']:.0f} MB, floor {rss['floor_max']:.0f} MB", flush=True
            )
        if not args.no_walk:
            print(f"Walking {args.walk_path} by page/limit and by cursor (limit={args.walk_limit}) ...", flush=True)
            getter = walk.http_getter(args.port, token)
            walks = walk.walk_both(getter, args.walk_path, limit=args.walk_limit, repeats=args.walk_repeats)
            for result in walks.values():
                print(
                    f"walk {result.mode:6} {len(result.paths)} pages {result.total_seconds:6.1f} s  first "
                    f"{result.first_ms:.1f} ms  last full {result.last_ms:.1f} ms ({result.ratio:.2f}×)",
                    flush=True,
                )
            print(f"Reading {args.stream_path} from its start (limit={args.walk_limit}) ...", flush=True)
            stream = walk.walk_stream(getter, args.stream_path, limit=args.walk_limit, repeats=args.walk_repeats)
            print(
                f"stream {len(stream.paths)} pages {sum(stream.rows)} changes {stream.total_seconds:6.1f} s  first "
                f"{stream.first_ms:.1f} ms  last full {stream.last_ms:.1f} ms ({stream.ratio:.2f}×)",
                flush=True,
            )
    finally:
        stop_server(app_server)
        stop_server(floor_server)
        if naive_server is not None:
            stop_server(naive_server)

    walk_plans = None
    if walks:
        print("Capturing the plans of the walks' last full pages ...", flush=True)
        walk_plans = capture_plans(env, token, [walks["page"].last_full_path, walks["cursor"].last_full_path])
    chart(results, RESULTS / f"{name}.png", naive)
    text = report(
        args,
        name,
        generation_seconds,
        results,
        plans_100,
        plans_1000,
        rss,
        f"{name}.png",
        naive=naive,
        walks=walks,
        walk_plans=walk_plans,
        stream=stream,
    )
    (RESULTS / f"{name}.md").write_text(text)
    print(f"Wrote {RESULTS / f'{name}.md'}")


if __name__ == "__main__":
    main()
