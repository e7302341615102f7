"""Django's PostgreSQL backend, whose health check of a persistent connection (``CONN_HEALTH_CHECKS``)
needs no round trip while nothing has happened to the connection.

Django checks a reused connection with ``SELECT 1`` before the first query of every request: a
round trip per request on top of the request's own statements. A connection the server has
closed or written to since its last answer (a terminated backend, a restart, a notice) has data
or end-of-file waiting on its socket; one with nothing waiting, idle and not in a failed
transaction, answers a query like any other. So: nothing waiting, usable; anything else, Django's
``SELECT 1`` decides, as before.
"""

import select

from django.db.backends.postgresql import base

# libpq's PQtransactionStatus values (psycopg2 and psycopg 3 report the same numbers).
_IDLE, _IN_TRANSACTION = 0, 2


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        info = connection.info
        if info.transaction_status in (_IDLE, _IN_TRANSACTION) and not getattr(info, "ssl_in_use", True):
            # Over TLS, bytes the library has already read would not show on the socket: only plain
            # connections take the shortcut.
            waiting = select.poll()
            waiting.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            if not waiting.poll(0):
                return True
        return super().is_usable()
