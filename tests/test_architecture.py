"""ARCHITECTURE.md stays true to the tree: every module, package and test file it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `orders/locks.py`, `orders/views/`, `tests/query_counts.py`; templates (`<app>/...`, `{a,b}`) are not paths.
NAMED_PATH = re.compile(r"`((?:omnitron|orders|catalog|channels|tests)/[\w/.]*)`")


def test_every_path_architecture_md_names_exists():
    text = (ROOT / "ARCHITECTURE.md").read_text()
    named = sorted(set(NAMED_PATH.findall(text)))
    assert len(named) > 20, named
    missing = [path for path in named if not (ROOT / path).exists()]
    assert missing == [], f"ARCHITECTURE.md names paths that do not exist: {missing}"


def test_readme_links_architecture_md():
    assert "(ARCHITECTURE.md)" in (ROOT / "README.md").read_text()
