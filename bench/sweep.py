#!/usr/bin/env python
"""The gunicorn worker count swept on this machine: the app alone, on the benchmark database.

For each worker count the app is started under the project's gunicorn configuration, warmed, and
driven for ``--duration`` seconds per endpoint at ``--concurrency`` keep-alive clients (more than
the main bench's 4, so that extra workers have requests to take); the report gives req/s and p50 /
p95 per endpoint and worker count, plus the workers' summed peak RSS, in
``bench/results/<name>-workers.md``. It reuses ``bench/run.py``'s database, token, load and
endpoints, so its figures read like the main report's.

    python bench/sweep.py --workers-list 2,3,5,8 --only items,i1_number,create --duration 8

Talks only to the servers it starts, on 127.0.0.1.
"""

import argparse
import multiprocessing
import os
import platform
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset
from bench.run import (
    RESULTS,
    Endpoint,
    Side,
    add_database_arguments,
    bench_token,
    cpu_model,
    drive,
    endpoints,
    peak_rss_mb,
    prepare_database,
    sample_order_numbers,
    worker_pids,
)
from bench.server import start_server, stop_server


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(parser)
    parser.add_argument("--workers-list", default="2,3,5,8", help="Comma-separated worker counts.")
    parser.add_argument("--only", default="items,i1_number,create", help="Comma-separated endpoint names.")
    parser.add_argument("--duration", type=float, default=8, help="Seconds per endpoint and worker count.")
    parser.add_argument("--concurrency", type=int, default=8, help="Client connections.")
    parser.add_argument("--port", type=int, default=8750, help="The app's port.")
    parser.add_argument("--name", default="", help="Report name (default: date and host).")
    return parser.parse_args()


def sweep(args, env: dict, token: str, chosen: list[Endpoint], counts: list[int]) -> dict:
    """{workers: {"rss": MB, endpoint name: Side}} for each worker count."""
    results: dict[int, dict] = {}
    with multiprocessing.get_context("fork").Pool(args.concurrency) as pool:
        for workers in counts:
            server = start_server(env, args.port, workers, "omnitron.wsgi")
            try:
                row: dict = {}
                for endpoint in chosen:
                    warm = Endpoint(endpoint.name, "", endpoint.paths, 0, endpoint.method)
                    drive(pool, args.port, token, warm, 1, args.concurrency, Side())
                    side = row[endpoint.name] = Side()
                    drive(pool, args.port, token, endpoint, args.duration, args.concurrency, side)
                    print(
                        f"workers {workers:2}  {endpoint.name:12} {side.rate:6.0f}/s  p50 {side.percentile(0.5):7.1f} "
                        f"ms  p95 {side.percentile(0.95):7.1f} ms  errors {side.errors}",
                        flush=True,
                    )
                row["rss"] = sum(peak_rss_mb(pid) for pid in worker_pids(server.pid))
                results[workers] = row
            finally:
                stop_server(server)
    return results


def report(args, name: str, chosen: list[Endpoint], results: dict) -> str:
    lines = [
        f"# gunicorn worker sweep {name}",
        "",
        f"- When: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; host: {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; CPU: {cpu_model()}.",
        f"- The app alone (`omnitron.wsgi`, gunicorn sync workers, `gunicorn.conf.py`), {args.concurrency} keep-alive "
        f"clients, {args.duration:g} s per endpoint and worker count, on `{args.database}`.",
        "- `python bench/sweep.py` (`bench/sweep.py`). req/s, then p50 / p95 in ms.",
        "",
        "| workers | " + " | ".join(endpoint.title for endpoint in chosen) + " | peak RSS, all workers |",
        "|---:|" + "---:|" * len(chosen) + "---:|",
    ]
    for workers, row in results.items():
        cells = [
            f"{row[e.name].rate:.0f}/s, {row[e.name].percentile(0.5):.1f} / {row[e.name].percentile(0.95):.1f}"
            + (f" (errors {row[e.name].errors})" if row[e.name].errors else "")
            for e in chosen
        ]
        lines.append(f"| {workers} | " + " | ".join(cells) + f" | {row['rss']:.0f} MB |")
    return "\n".join(lines) + "\n"


def main() -> None:
    args = parse_args()
    url = f"{args.pg}/{args.database}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "omnitron.settings")
    for scope in ("READ", "WRITE", "CREATE_ORDERS"):
        env.setdefault(f"API_THROTTLE_{scope}", "1000000/min")
    prepare_database(args, env, dataset.Scale(orders=args.orders))
    token = bench_token(url)
    since = (datetime.now(UTC) - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    wanted = args.only.split(",")
    chosen = [e for e in endpoints(sample_order_numbers(url), since) if e.name in wanted]
    counts = [int(count) for count in args.workers_list.split(",")]
    results = sweep(args, env, token, chosen, counts)
    name = args.name or f"{datetime.now(UTC):%Y-%m-%d}-{platform.node()}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-workers.md"
    path.write_text(report(args, name, chosen, results))
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
