"""Database helpers shared by services: transactions retried on serialization failures and deadlocks,
and a lean multi-row INSERT."""

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, transaction
from django.db.models import Model

from omnitron.errors import WriteConflictError

logger = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=Model)
P = ParamSpec("P")

# PostgreSQL's bigint range: the bounds of every id (and other 64-bit integer) accepted as input.
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1

# Runs of a write in all before it answers ``write_conflict``.
WRITE_ATTEMPTS = 3

# PostgreSQL's serialization_failure and deadlock_detected: the transaction can simply run again.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE PostgreSQL reported for a database error (the driver's exception is its cause)."""
    return getattr(exc.__cause__, "pgcode", None)


def is_retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is a serialization failure or deadlock reported by PostgreSQL."""
    return isinstance(exc, OperationalError) and _sqlstate(exc) in RETRYABLE_SQLSTATES


def atomic_with_retry(work: Callable[[], T], *, attempts: int = WRITE_ATTEMPTS, base_delay: float = 0.02) -> T:
    """Run ``work()`` in ``transaction.atomic()``; run it again (up to ``attempts`` times in all)
    when PostgreSQL aborts it with a serialization failure or deadlock, and raise
    WriteConflictError (nothing was written) when the last run is aborted too.

    Inside an outer atomic block the transaction cannot be retried, so ``work`` runs once there
    and the error goes up to the outermost retry.
    """
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return work()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as exc:
            if not is_retryable(exc):
                raise
            if attempt == attempts:
                logger.warning("Transaction aborted by %s %d times; answered write_conflict", _sqlstate(exc), attempts)
                raise WriteConflictError() from exc
            logger.warning("Retrying transaction after %s (attempt %d of %d)", _sqlstate(exc), attempt, attempts)
            # Jittered back-off so that the transactions that collided do not collide again.
            time.sleep(base_delay * attempt * (1 + random.random()))  # noqa: S311  # retry jitter, not a secret
    raise AssertionError("unreachable")


def retried_atomic(func: Callable[P, T]) -> Callable[P, T]:
    """Decorate a write service: each call runs in ``atomic_with_retry``."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return atomic_with_retry(lambda: func(*args, **kwargs))

    return wrapper


def rows_insert(objs: list[M], *, unless_exists: tuple[str, ...] = ()) -> list[M]:
    """INSERT unsaved instances of one model in one plain statement and give them their pks.

    What ``bulk_create`` does for plain rows (``auto_now`` stamps, each field's conversion to its
    database value) for a fraction of its CPU: the hot write paths call it. With
    ``unless_exists`` (the fields of a unique constraint), a row that would duplicate an existing
    one is skipped (``ON CONFLICT ... DO NOTHING``) and keeps ``pk`` None, without the savepoint a
    caught IntegrityError needs; one row at a time then.
    """
    if not objs:
        return objs
    if unless_exists and len(objs) > 1:
        raise ValueError("unless_exists inserts one row at a time")
    meta = objs[0]._meta
    connection = transaction.get_connection()
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    params = [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for obj in objs for field in fields]
    conflict = ""
    if unless_exists:
        column_of = {field.name: field.column for field in fields}
        target = ", ".join(connection.ops.quote_name(column_of[name]) for name in unless_exists)
        conflict = f" ON CONFLICT ({target}) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608  # table and column names only
            f"VALUES {', '.join([row] * len(objs))}{conflict} RETURNING {connection.ops.quote_name(meta.pk.column)}",
            params,
        )
        pks = [pk for (pk,) in cursor.fetchall()]
    for obj, pk in zip(objs, pks, strict=not unless_exists):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def placeholders(values) -> str:
    """``%s, %s, ...``: one parameter placeholder per value, for the raw statements of ``<app>/queries.py``."""
    return ", ".join(["%s"] * len(values))
