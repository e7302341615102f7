"""ARCHITECTURE.md stays true to the tree: every module, package and test file it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `orders/locks.py`, `orders/views/`, `tests/query_counts.py`; templates (`<app>/...`, `{a,b}`) are not paths.
NAMED_PATH = re.compile(r"`((?:omnitron|orders|catalog|channels|integrations|tests)/[\w/.]*)`")


def test_every_path_architecture_md_names_exists():
    text = (ROOT / "ARCHITECTURE.md").read_text()
    named = sorted(set(NAMED_PATH.findall(text)))
    assert len(named) > 20, named
    missing = [path for path in named if not (ROOT / path).exists()]
    assert missing == [], f"ARCHITECTURE.md names paths that do not exist: {missing}"


def test_readme_links_architecture_md():
    assert "(ARCHITECTURE.md)" in (ROOT / "README.md").read_text()


APPS = ("catalog", "channels", "integrations", "omnitron", "orders")
# The ORM lock; a hand-written FOR UPDATE may only be in queries.py, which the raw-SQL rule confines.
ROW_LOCK = re.compile(r"select_for_update\(")
RAW_SQL = re.compile(r"\.execute\(|RawSQL\(|\.raw\(")
# Plumbing that runs its own statement: compiled ORM SQL, the health check, the permission read,
# the migration operation that builds indexes concurrently.
RAW_SQL_ELSEWHERE = {"omnitron/prepared.py", "omnitron/views.py", "omnitron/backends.py", "omnitron/indexes.py"}


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and "/management/" not in relative:
                yield relative, path.read_text()


def test_row_locks_are_taken_only_in_locks_modules():
    outside = [name for name, text in app_modules() if ROW_LOCK.search(text) and not name.endswith("/locks.py")]
    assert outside == [], f"row locks outside <app>/locks.py: {outside}"


def test_raw_sql_runs_only_in_queries_modules_and_omnitron_db():
    allowed = {"omnitron/db.py", *RAW_SQL_ELSEWHERE}
    outside = [
        name
        for name, text in app_modules()
        if RAW_SQL.search(text) and not name.endswith("/queries.py") and name not in allowed
    ]
    assert outside == [], f"raw SQL outside <app>/queries.py and omnitron/db.py: {outside}"
