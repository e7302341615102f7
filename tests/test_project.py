"""The project's promises to a new user: two commands, CI that runs them, a parseable compose file."""

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_ci_runs_make_test_against_postgresql():
    script = (ROOT / ".ci/run").read_text()
    assert "make test" in script
    assert 'DATABASE_URL="postgres://' in script
    assert "set -euo pipefail" in script


def test_compose_file_names_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {"db", "redis", "migrate", "app"}
    assert compose["services"]["db"]["image"].startswith("postgres:")
    assert compose["services"]["redis"]["image"].startswith("redis:")
    app = compose["services"]["app"]
    assert app["command"][:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert app["environment"]["DATABASE_URL"].startswith("postgres://")
    assert app["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_bandit_is_clean_and_silent():
    """`make test` shows bandit's findings only: no per-marker "nosec encountered" warnings."""
    completed = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-c", "pyproject.toml", "-r", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, "", "")


def test_pytest_prints_skip_reasons():
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "-rs" in pytest_options["addopts"].split()
