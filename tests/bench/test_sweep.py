"""The worker sweep's report (bench/sweep.py): one row per worker count, one cell per endpoint."""

from argparse import Namespace

from bench import sweep
from bench.run import Endpoint, Side


def side(latencies: list[float], seconds: float, errors: dict | None = None) -> Side:
    return Side(latencies=latencies, errors=errors or {}, seconds=seconds)


def test_the_report_has_a_row_per_worker_count_with_rate_p50_p95_and_rss():
    chosen = [Endpoint("items", "items ?limit=100", ["/x/"], 1.5), Endpoint("i1_number", "i1 ?number=", ["/y/"], 1.5)]
    results = {
        2: {"items": side([0.010] * 18 + [0.050] * 2, 2.0), "i1_number": side([0.004] * 40, 2.0), "rss": 150.4},
        5: {"items": side([0.020] * 30, 2.0, {0: 1}), "i1_number": side([0.002] * 100, 2.0), "rss": 372.6},
    }
    args = Namespace(concurrency=8, duration=2.0, database="omnitron_bench")
    lines = sweep.report(args, "test", chosen, results).splitlines()
    assert lines[6] == "| workers | items ?limit=100 | i1 ?number= | peak RSS, all workers |"
    assert lines[8] == "| 2 | 10/s, 10.0 / 50.0 | 20/s, 4.0 / 4.0 | 150 MB |"
    assert lines[9] == "| 5 | 15/s, 20.0 / 20.0 (errors {0: 1}) | 50/s, 2.0 / 2.0 | 373 MB |"
