"""Production settings: `check --deploy` is clean with docker-compose.yml's environment, and
DJANGO_ENV=production refuses to start with a missing or weak secret, DEBUG on or no hosts."""

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS = ROOT / "omnitron" / "settings.py"
STRONG_KEY = secrets.token_urlsafe(50)
# What an operator exports before `docker compose up` (README, "Running in production").
OPERATOR_ENV = {
    "POSTGRES_PASSWORD": "db-password",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "orders.example.com",
}
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:[?-])(?P<arg>[^}]*))?\}")


def compose_app_environment() -> dict[str, str]:
    """The app service's environment with ${VAR}, ${VAR:-default} and ${VAR:?error} resolved as
    docker compose does, from ``OPERATOR_ENV``."""

    def resolve(match: re.Match) -> str:
        value = OPERATOR_ENV.get(match["name"], "")
        if match["op"] == ":?" and not value:
            raise AssertionError(f"compose requires {match['name']}: {match['arg']}")
        return value or (match["arg"] if match["op"] == ":-" else "")

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return {
        name: VARIABLE.sub(resolve, str(value)) for name, value in compose["services"]["app"]["environment"].items()
    }


SETTING_PREFIXES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "API_", "DB_")


def clean_environ(**variables: str) -> dict[str, str]:
    """This process's environment without any of the service's settings, plus ``variables``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}, **variables}


def test_check_deploy_is_clean_with_the_compose_environment():
    # Given the environment docker-compose.yml gives the app
    environment = compose_app_environment()
    assert environment["DJANGO_ENV"] == "production"

    # When Django's deployment checks run with it (nothing here connects to the database or Redis)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environ(DJANGO_SETTINGS_MODULE="omnitron.settings", **environment),
        capture_output=True,
        text=True,
        timeout=60,
    )

    # Then there is not a single warning
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def load_settings(monkeypatch, **variables: str) -> dict:
    """Run the settings module with exactly ``variables`` set; its resulting names."""
    for name in list(os.environ):
        if name.startswith(SETTING_PREFIXES):
            monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


PRODUCTION = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "orders.example.com"}


def test_production_settings_are_secure(monkeypatch):
    settings = load_settings(monkeypatch, **PRODUCTION)
    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == STRONG_KEY
    assert settings["ALLOWED_HOSTS"] == ["orders.example.com"]
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 31536000
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["REST_FRAMEWORK"]["NUM_PROXIES"] == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short-key"}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "a" * 60}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + STRONG_KEY}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG must be off"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "needs DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ENV": "prod"}, "DJANGO_ENV must be"),
    ],
)
def test_production_refuses_to_start_with_insecure_settings(monkeypatch, overrides, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(monkeypatch, **{**PRODUCTION, **overrides})


def test_local_defaults_need_no_environment(monkeypatch):
    settings = load_settings(monkeypatch)
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "testserver"]
    assert "SECURE_SSL_REDIRECT" not in settings
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_the_image_is_production_and_collects_static_files_without_secrets():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DJANGO_ENV=production" in dockerfile
    assert "DJANGO_ENV=local python manage.py collectstatic" in dockerfile
