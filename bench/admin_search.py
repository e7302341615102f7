#!/usr/bin/env python
"""Admin changelist searches on the benchmark database: time per request and the plan of each statement.

Builds or reuses ``omnitron_bench`` like ``make bench`` (``bench/run.py``), then renders the order and
order-item changelists in-process (Django's test client, DEBUG off, a superuser) for a set of
search terms, several times each, and prints the median and worst wall time, the median CPU time of
this process and time in SQL (wall time suffers most when the machine is shared), the statement
count and,
with ``--explain``, ``EXPLAIN ANALYZE`` of every statement with sequential scans of large tables
called out.

    python bench/admin_search.py --repeat 7 --explain

Talks only to the local PostgreSQL server.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset
from bench.run import add_database_arguments, prepare_database

LARGE_TABLES = ("orders_order", "orders_orderitem", "channels_customer", "orders_orderevent")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5, help="Requests per search term.")
    parser.add_argument("--explain", action="store_true", help="Print EXPLAIN ANALYZE of every statement.")
    parser.add_argument("--only", default="", help="Comma-separated search terms to run (default: all).")
    return parser.parse_args()


def searches(number: str, email: str, first_name: str, last_name: str) -> list[tuple[str, str]]:
    """(changelist URL name, search term): prefixes short and long, an exact number, e-mail and names."""
    return [
        ("admin:orders_order_changelist", number[:2]),
        ("admin:orders_order_changelist", number[:-3]),
        ("admin:orders_order_changelist", number.lower()),
        ("admin:orders_order_changelist", email),
        ("admin:orders_order_changelist", email.split("@")[0][:-1]),
        ("admin:orders_order_changelist", first_name),
        ("admin:orders_order_changelist", f"{first_name} {last_name}"),
        ("admin:orders_order_changelist", "no-such-order"),
        ("admin:orders_orderitem_changelist", number[:-3]),
        ("admin:orders_orderitem_changelist", number),
    ]


def main() -> None:
    args = parse_args()
    url = f"{args.pg}/{args.database}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "omnitron.settings"}
    prepare_database(args, env, dataset.Scale(orders=args.orders))
    os.environ.update(DATABASE_URL=url, DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="omnitron.settings")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from channels.models import Customer
    from orders.models import Order

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    order = Order.objects.select_related("customer").order_by("pk")[Order.objects.count() // 2]
    customer: Customer = order.customer
    print(f"{Order.objects.count()} orders; sample order {order.number}, customer {customer.email}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; medians of {args.repeat} requests")
    print(
        f"{'changelist':10} {'term':28} {'wall ms':>8} {'max ms':>7} {'CPU ms':>7} {'SQL ms':>7} {'statements':>10} {'rows':>5}"
    )
    for name, term in searches(order.number, customer.email, customer.first_name, customer.last_name):
        if args.only and term not in args.only.split(","):
            continue
        path = reverse(name)
        timings, cpu_timings, sql_timings = [], [], []
        for _ in range(args.repeat):
            start, cpu_start = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, {"q": term})
            timings.append((time.perf_counter() - start) * 1000)
            cpu_timings.append((time.process_time() - cpu_start) * 1000)
            sql_timings.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
            assert response.status_code == 200, (path, term, response.status_code)
        rows = result_rows(response.content.decode())
        label = name.split("_")[1]
        print(
            f"{label:10} {term!r:28} {statistics.median(timings):8.1f} {max(timings):7.1f} "
            f"{statistics.median(cpu_timings):7.1f} {statistics.median(sql_timings):7.1f} "
            f"{len(queries.captured_queries):10} {rows:5}",
            flush=True,
        )
        if args.explain:
            explain(connection, queries.captured_queries)


def result_rows(html: str) -> int:
    """Rows of the changelist's result table."""
    table = html.partition('id="result_list"')[2].partition("</table>")[0]
    return table.partition("<tbody>")[2].count("<tr")


def explain(connection, captured: list[dict]) -> None:
    for query in captured:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or "django_session" in sql or "auth_user" in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE {sql}")
            plan = [row[0] for row in cursor.fetchall()]
        seq = [line.strip() for line in plan if "Seq Scan" in line and any(t in line for t in LARGE_TABLES)]
        print(f"    {sql[:160]}")
        print("      " + "\n      ".join(plan))
        if seq:
            print(f"      SEQUENTIAL SCAN OF A LARGE TABLE: {seq}")


if __name__ == "__main__":
    main()
