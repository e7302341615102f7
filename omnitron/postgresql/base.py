"""Django's PostgreSQL engine with a health check that costs no round trip.

With persistent connections (``CONN_MAX_AGE``) and ``CONN_HEALTH_CHECKS``, Django runs ``SELECT 1``
before the first query of every request, one round trip per request that a lookup by number pays
on top of its own statements. Between requests a connection is idle and the server sends it
nothing; when the server ends it (a restart, ``pg_terminate_backend``, ``idle_session_timeout``)
it writes a last error message and closes the socket, which then polls readable. So a socket with
nothing to read is taken as usable at once, and only a readable (or failing) one gets Django's
``SELECT 1``, which then fails and makes Django reconnect before the request's first query.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        raw = self.connection
        if raw is None or raw.closed:
            return False
        try:
            readable, _, _ = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return super().is_usable() if readable else True
