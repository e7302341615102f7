"""Deploy-time checks beyond Django's own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    """Production needs a real secret key, PostgreSQL and a shared cache."""
    problems: list[CheckMessage] = []
    if settings.SECRET_KEY.startswith("django-insecure"):
        problems.append(
            Error("DJANGO_SECRET_KEY is not set.", hint="Set a long random DJANGO_SECRET_KEY.", id="omnitron.E001")
        )
    if settings.DATABASES["default"]["ENGINE"] not in ("django.db.backends.postgresql", "omnitron.postgresql"):
        problems.append(
            Warning("Production should run on PostgreSQL.", hint="Set DATABASE_URL=postgres://...", id="omnitron.W001")
        )
    if not settings.REDIS_URL:
        problems.append(
            Warning("No shared cache: throttles are per process.", hint="Set REDIS_URL=redis://...", id="omnitron.W002")
        )
    return problems


@register(Tags.security)
def check_throttle_rates(app_configs, **kwargs):
    """Every throttle rate parses ("120/min", "5/s", "off"), so a typo fails at start, not per request."""
    from rest_framework.settings import api_settings

    from omnitron.throttling import parse_rate

    problems = []
    for scope, rate in api_settings.DEFAULT_THROTTLE_RATES.items():
        try:
            parse_rate(rate)  # type: ignore[arg-type]  # the DRF stubs type rates as numbers; DRF reads "N/period" strings
        except ValueError as exc:
            problems.append(Error(f"Throttle rate for {scope!r}: {exc}.", id="omnitron.E002"))
    return problems
