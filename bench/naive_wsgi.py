"""WSGI entry point of the naive DRF anchor (``gunicorn bench.naive_wsgi:application``), bench only."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

# Always the naive settings: this entry point must never serve the product's URLconf by accident.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.naive_settings"

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  # import the views now, not on a worker's first request
