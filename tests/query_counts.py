"""Statements a request runs, to show they do not grow with the page size."""

from django.db import connection
from django.test import utils

from omnitron.auth_cache import auth_cache_clear


class CaptureQueriesContext(utils.CaptureQueriesContext):
    """Django's ``CaptureQueriesContext`` for a caller the worker has not seen lately: the auth
    cache starts empty, so the token and membership statements are counted (a repeated caller skips
    them; tests/omnitron/test_auth_cache.py shows by how much)."""

    def __enter__(self):
        auth_cache_clear()
        return super().__enter__()


def queries_per_full_page(client, url: str, params: dict, limits=(1, 12)) -> list[int]:
    """Statements of one request per ``limit`` (each page full), after a warm-up request."""
    client.get(url, params)  # the token's last-used write and the content-type cache happen here
    counts = []
    for limit in limits:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {**params, "limit": limit})
        assert (response.status_code, len(response.json()["results"])) == (200, limit), response.content[:300]
        counts.append(len(queries))
    return counts
