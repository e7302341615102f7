"""The SQL the app runs for a request, captured in-process, and its plans.

Runs Django with ``DATABASE_URL`` from the environment (the benchmark database): each path is
requested through Django's test client with a token, every statement is recorded, and the
``SELECT`` statements are explained with ``EXPLAIN (ANALYZE, BUFFERS)``.

    python bench/queries.py <token> /api/v1/channel/1/order_items/?limit=100 ...
"""

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Captured:
    path: str
    status: int
    statements: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)

    @property
    def seq_scans(self) -> list[str]:
        """Plan lines that read a whole table (small lookup tables excepted by the caller)."""
        return [line.strip() for plan in self.plans for line in plan.splitlines() if "Seq Scan" in line]


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omnitron.settings")
    import django

    django.setup()


def capture(paths: list[str], token: str, *, explain: bool = True) -> list[Captured]:
    """Request each path (GET) once warm and once recorded; EXPLAIN ANALYZE the recorded SELECTs."""
    _setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    results = []
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
        captured = Captured(path=path, status=response.status_code)
        captured.statements = [query["sql"] for query in context.captured_queries]
        if explain:
            with connection.cursor() as cursor:
                for sql in captured.statements:
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    captured.plans.append(f"{sql}\n{plan}")
        results.append(captured)
    return results


if __name__ == "__main__":
    for item in capture(sys.argv[2:], sys.argv[1]):
        print(f"== {item.path} -> {item.status}, {len(item.statements)} statements")
        for plan in item.plans:
            print(plan, end="\n\n")
