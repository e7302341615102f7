"""A bounded soak (``make soak`` runs the long form): gunicorn on PostgreSQL under mixed reads and
create_orders ends with no 5xx, no duplicate order and a stock ledger that adds up."""

import socket
from urllib.parse import quote

import pytest
from django.db import connection

from bench.soak import parse_args, run_soak

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def redis_url() -> str:
    """Redis db 6 when a server answers on 127.0.0.1:6379 (shared throttle counters), else none."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return ""
    return "redis://127.0.0.1:6379/6"


def test_bounded_soak_has_no_server_error_no_duplicate_and_a_balanced_stock_ledger():
    # A scratch database next to the one under test, on the same server
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "postgres") + (
        f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    )
    server = f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    database = f"{settings['NAME'].removeprefix('test_')}_soak"
    load = ["--duration", "20", "--concurrency", "6", "--workers", "2", "--stock", "300"]
    args = parse_args([*load, "--database", database, "--pg", server, "--redis", redis_url()])

    result = run_soak(args)

    assert result["server_errors"] == 0, result["failures"]
    assert result["unexpected"] == []
    assert result["duplicates"] == 0
    assert result["problems"] == []
    assert result["orders_created"] > 0 and result["orders_stored"] == result["orders_created"]
    assert result["requests"] > 100
