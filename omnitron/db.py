"""Database helpers shared by services: transactions retried on serialization failures and deadlocks,
and a lean multi-row INSERT."""

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import BooleanField, CharField, Field, ForeignKey, IntegerField, JSONField, Model, TextField
from django.db.models.fields import AutoFieldMixin

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


def _converts_by_type_only(field: Field, connection) -> set[type]:
    """The value types ``field`` converts to a database value by type alone (the code path does not
    look at the value): ``str`` of a char or text field, ``int`` of an integer field or of a foreign
    key to an auto pk, ``bool`` of a boolean field, and ``None``, the one value of its type."""
    kind = type(field)
    plain = kind.get_db_prep_save is Field.get_db_prep_save and kind.pre_save is Field.pre_save
    types: set[type] = {type(None)}
    if plain and kind.get_db_prep_value is Field.get_db_prep_value:
        if kind.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value):
            types.add(str)
        elif kind.get_prep_value is BooleanField.get_prep_value:
            types.add(bool)
    if (
        plain
        and kind.get_prep_value is IntegerField.get_prep_value
        and kind.get_db_prep_value is IntegerField.get_db_prep_value
    ):
        types.add(int)
    if kind.get_db_prep_save is ForeignKey.get_db_prep_save and kind.pre_save is Field.pre_save:
        target = type(field.target_field)  # type: ignore[attr-defined]  # a ForeignKey has target_field
        autopk_checked = type(connection.ops).validate_autopk_value is not BaseDatabaseOperations.validate_autopk_value
        if (
            target.get_db_prep_save is Field.get_db_prep_save
            and target.get_db_prep_value is AutoFieldMixin.get_db_prep_value  # type: ignore[attr-defined]  # the stubs leave it out
            and target.get_prep_value is IntegerField.get_prep_value
            and not autopk_checked
        ):
            types.add(int)
    return types


# A sample of each type (``_insert_plan``).
_PROBES = {type(None): None, str: "probe", int: 2**40 + 1, bool: True}


@functools.cache
def _insert_plan(model: type[Model], vendor: str) -> tuple[str, str, tuple[tuple[Field, str, frozenset[type]], ...]]:
    """How ``rows_insert`` writes ``model`` rows on this database: the columns, one row's
    placeholders, and per field its attribute and the value types it passes on as they are.

    A value of a type the field converts by type alone (``_converts_by_type_only``), for which the
    conversion returns the very object it was given (probed here: it depends on the database
    driver, not on the value), needs no conversion; every other value goes through
    ``get_db_prep_save(pre_save(...))``. JSON fields always do (``None`` is JSON null there).
    """
    connection = transaction.get_connection()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    plan = []
    for field in fields:
        unchanged = set()
        if type(field).pre_save is Field.pre_save and not isinstance(field, JSONField):
            for kind in _converts_by_type_only(field, connection):
                probe = _PROBES[kind]
                try:
                    if field.get_db_prep_save(probe, connection) is probe:
                        unchanged.add(kind)
                except (TypeError, ValueError, ValidationError):
                    continue
        plan.append((field, field.attname, frozenset(unchanged)))
    return columns, f"({', '.join(['%s'] * len(fields))})", tuple(plan)


def _insert_params(objs: list[M], plan, connection) -> list:
    """The statement's parameters: each row's fields as database values (``_insert_plan``)."""
    params = []
    for obj in objs:
        for field, attname, unchanged in plan:
            value = getattr(obj, attname)
            params.append(
                value if type(value) in unchanged else field.get_db_prep_save(field.pre_save(obj, add=True), connection)
            )
    return params


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
    columns, row, plan = _insert_plan(type(objs[0]), connection.vendor)
    params = _insert_params(objs, plan, connection)
    conflict = ""
    if unless_exists:
        column_of = {field.name: field.column for field, _, _ in plan}
        target = ", ".join(connection.ops.quote_name(column_of[name]) for name in unless_exists)
        conflict = f" ON CONFLICT ({target}) DO NOTHING"
    cursor = kept_cursor(connection)
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


def kept_cursor(connection=None, key: str = "plain", prepare: Callable[[Any], None] | None = None):
    """A cursor of ``connection`` (the current transaction's by default) kept for the hot paths'
    statements instead of a new one per statement (about 20 µs of CPU each); ``key`` names a kept
    cursor that ``prepare(cursor)`` set up when it was made (``omnitron.prepared`` registers a
    ``jsonb`` typecaster on its own).

    It is Django's own cursor (``connection.cursor()``: the connection ensured, errors wrapped,
    ``execute_wrappers`` applied, statements logged while ``queries_logged``), made again when the
    database connection was replaced or logging was switched on or off. The driver's cursors run
    any number of statements, in or out of a transaction, and close with their connection; do not
    close a kept one.
    """
    if connection is None:
        connection = transaction.get_connection()
    raw = connection.connection
    logged = connection.queries_logged
    cursors = connection.__dict__.setdefault("_kept_cursors", {})
    kept = cursors.get(key)
    if (
        kept is not None
        and raw is not None
        and kept[0] is raw
        and kept[1] == logged
        and not getattr(kept[2].cursor, "closed", False)
    ):
        return kept[2]
    cursor = connection.cursor()
    if prepare is not None:
        prepare(cursor)
    cursors[key] = (connection.connection, logged, cursor)
    return cursor


def placeholders(values) -> str:
    """``%s, %s, ...``: one parameter placeholder per value, for the raw statements of ``<app>/queries.py``."""
    return ", ".join(["%s"] * len(values))
