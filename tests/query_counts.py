"""Statements a list request runs, to show they do not grow with the page size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


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
