"""WSGI entry point (gunicorn omnitron.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omnitron.settings")

application = get_wsgi_application()
# Import the URLconf (and with it every view, serializer and schema module) now rather than on a
# worker's first request: that import takes about half a second, which each new worker (gunicorn
# restarts them every max_requests) would otherwise add to the latency of one request.
get_resolver().url_patterns  # noqa: B018  # the access imports it
