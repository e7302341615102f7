"""Database helpers shared by services: transactions retried on serialization failures and deadlocks."""

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

# PostgreSQL's serialization_failure and deadlock_detected: the transaction can simply run again.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def is_retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is a serialization failure or deadlock reported by PostgreSQL."""
    return isinstance(exc, OperationalError) and getattr(exc.__cause__, "pgcode", None) in RETRYABLE_SQLSTATES


def atomic_with_retry(work: Callable[[], T], *, attempts: int = 3, base_delay: float = 0.02) -> T:
    """Run ``work()`` in ``transaction.atomic()``; run it again (up to ``attempts`` times in all)
    when PostgreSQL aborts it with a serialization failure or deadlock.

    Inside an outer atomic block the transaction cannot be retried, so ``work`` runs once there.
    """
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return work()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as exc:
            if attempt == attempts or not is_retryable(exc):
                raise
            logger.warning("Retrying transaction after %s (attempt %d of %d)", exc.__cause__.pgcode, attempt, attempts)
            # Jittered back-off so that the transactions that collided do not collide again.
            time.sleep(base_delay * attempt * (1 + random.random()))  # noqa: S311  # retry jitter, not a secret  # nosec B311
    raise AssertionError("unreachable")
