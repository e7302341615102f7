"""Queries compiled once per process: the hot selectors bind new values to fixed SQL.

Building and compiling an ORM query costs 1-2 ms of Python, more than PostgreSQL needs to answer
a lookup by primary key. A ``PreparedValues`` builds its ``values()`` queryset once (per database
alias), keeps the SQL, the column names and the field converters, and afterwards only binds the
arguments: scalars, or collections for ``__in`` lookups (the ``IN (%s)`` placeholder grows to the
collection's length). The rows are the same dicts ``values()`` would return.

A ``PreparedPage`` does the same for one filter shape of a list (``RowsListMixin.prepared_pages``):
the page query the view's filters would build for those parameters, compiled once, with the page's
``LIMIT``/``OFFSET`` bound as parameters. A ``PreparedCount`` is the ``COUNT(*)`` ``count()`` sends
for a query, compiled the same way.
"""

import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import orjson
from django.db import connections
from django.db.backends.postgresql.psycopg_any import is_psycopg3  # type: ignore[import-untyped]
from django.db.models import Func, IntegerField, JSONField, QuerySet

from omnitron.db import kept_cursor

# PostgreSQL's fixed type oid of ``jsonb`` (``pg_type``), as psycopg2 registers it.
JSONB_OID = 3802

_LONG_DIGITS = re.compile(r"\d{19}")

# Distinct sample values, so that the compiled parameters show where each argument went.
_SAMPLES = (-7001, -7002, -7003, -7004)


def db_value(connection, value: Any) -> Any:
    """A scalar argument as the ORM passes it to the driver: a datetime through the backend's
    adaptation (a naive UTC string on SQLite, the aware datetime on PostgreSQL), anything else as
    it is (ints, strings and booleans reach the driver unchanged)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _json_loads(text: str | None, _cursor=None) -> Any:
    """A ``jsonb`` value as ``JSONField.from_db_value`` reads it: orjson, unless the text holds a run
    of 19 digits or more, where orjson would read an integer beyond 64 bits as a float and the
    standard library keeps it exact."""
    if text is None:
        return None
    if _LONG_DIGITS.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def _jsonb_typecaster():
    """psycopg2's ``jsonb`` typecaster decoding with ``_json_loads`` (None for psycopg 3)."""
    if is_psycopg3:
        return None
    from psycopg2.extensions import new_type  # type: ignore[import-untyped]

    return new_type((JSONB_OID,), "JSONB_ORJSON", _json_loads)


def _plain_json_converters(connection, fields: list, converters: dict) -> dict | None:
    """``converters`` without ``JSONField.from_db_value`` when every ``jsonb`` column is a plain
    ``JSONField`` (no custom decoder) and the database is PostgreSQL through psycopg2: the driver then
    decodes them in C (``rows()`` registers the typecaster on its cursor). None when not possible."""
    if connection.vendor != "postgresql" or is_psycopg3:
        return None
    json_columns = [index for index, field in enumerate(fields) if isinstance(field.output_field, JSONField)]
    if not json_columns or any(fields[index].output_field.decoder is not None for index in json_columns):
        return None
    kept = {}
    for index, (functions, expression) in converters.items():
        if index in json_columns:
            functions = [
                function for function in functions if getattr(function, "__func__", None) is not JSONField.from_db_value
            ]
        if functions:
            kept[index] = (functions, expression)
    return kept


_JSONB = _jsonb_typecaster()


class PreparedValues:
    """``build(*args)`` returns a ``values()`` queryset whose only parameters are ``args`` in order.

    An argument given as a set, list or tuple is an ``__in`` list; pass the same kinds on every
    call. An empty list returns no rows without a query, as the ORM does. ``constants`` are the
    values the query binds itself (a ``Coalesce`` default, say): a parameter that is not the next
    argument must be one of them, and stays bound as compiled.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        kinds: tuple[str, ...],
        paged: bool = False,
        samples: tuple[Any, ...] | None = None,
        constants: tuple[Any, ...] = (),
    ):
        if len(kinds) > len(_SAMPLES) or not set(kinds) <= {"value", "in"}:
            raise ValueError("kinds: up to four of 'value' and 'in'")
        if samples is not None and len(samples) != len(kinds):
            raise ValueError("samples: one per argument")
        self._build = build
        self._kinds = kinds
        self._paged = paged
        # Distinct values the compiled parameters are recognised by; a typed column (a boolean, a
        # datetime) needs a sample of its type.
        self._samples = samples
        self._constants = constants
        self._prepared: dict[str, tuple[_Statement, list[str], Any, dict, bool]] = {}

    def _prepare(self, alias: str):
        samples = self._samples or _SAMPLES[: len(self._kinds)]
        args = [[sample] if kind == "in" else sample for sample, kind in zip(samples, self._kinds, strict=True)]
        queryset = self._build(*args)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        statement = self._statement(sql, params, [str(db_value(connections[alias], sample)) for sample in samples])
        query = queryset.query
        if query.selected:
            names = list(query.selected)
        else:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        plain = _plain_json_converters(connections[alias], fields, converters)
        prepared = (statement, names, compiler, converters if plain is None else plain, plain is not None)
        self._prepared[alias] = prepared
        return prepared

    def _statement(self, sql: str, params, expected: list[str]) -> "_Statement":
        """Which argument (or constant) each placeholder of the compiled ``sql`` binds."""
        name = self._build.__qualname__
        pieces = sql.split("%s")
        slots: list[int | None] = []
        arguments = 0
        for param in params:
            if arguments < len(expected) and str(param) == expected[arguments]:
                slots.append(arguments)
                arguments += 1
            elif any(type(param) is type(constant) and param == constant for constant in self._constants):
                slots.append(None)
            else:
                raise ValueError(f"{name}: the query's parameters must be exactly its arguments")
        if arguments != len(expected) or len(pieces) != len(slots) + 1:
            raise ValueError(f"{name}: the query's parameters must be exactly its arguments")
        lists = [
            (position, slot) for position, slot in enumerate(slots) if slot is not None and self._kinds[slot] == "in"
        ]
        for position, slot in lists:
            if not (pieces[position].endswith("IN (") and pieces[position + 1].startswith(")")):
                raise ValueError(f"{name}: argument {slot} is not an IN list")
        return _Statement(pieces, slots, list(params))

    def _bind(self, statement: "_Statement", args: tuple, connection) -> tuple[str, list[Any]] | None:
        """The statement for ``args`` and its parameters; None when an ``IN`` list is empty."""
        if len(args) != len(self._kinds):
            raise TypeError(f"{self._build.__qualname__}: {len(self._kinds)} arguments, {len(args)} given")
        pieces = statement.pieces
        sql_parts = [pieces[0]]
        params: list[Any] = []
        for position, slot in enumerate(statement.slots):
            if slot is None:
                sql_parts.append("%s")
                params.append(statement.compiled[position])
            elif self._kinds[slot] == "in":
                values = sorted({value for value in args[slot] if value is not None})
                if not values:
                    return None
                sql_parts.append(", ".join(["%s"] * len(values)))
                params.extend(values)
            else:
                sql_parts.append("%s")
                params.append(db_value(connection, args[slot]))
            sql_parts.append(pieces[position + 1])
        return "".join(sql_parts), params

    def sql(self, *args, using: str = "default") -> tuple[str, list[Any]] | None:
        """The statement and parameters ``rows(*args)`` runs (without a page's LIMIT/OFFSET)."""
        return self._bind((self._prepared.get(using) or self._prepare(using))[0], args, connections[using])

    def rows(self, *args, using: str = "default", limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """The rows for ``args``, as ``values()`` dicts (a paged one: ``limit`` rows from ``offset``)."""
        names = (self._prepared.get(using) or self._prepare(using))[1]
        return [
            dict(zip(names, row, strict=True))
            for row in self.values_list(*args, using=using, limit=limit, offset=offset)
        ]

    def values_list(
        self, *args, using: str = "default", limit: int | None = None, offset: int = 0
    ) -> list[Sequence[Any]]:
        """The same rows as sequences in column order, as ``values_list()`` gives them."""
        connection = connections[using]
        statement, _, compiler, converters, json_cast = self._prepared.get(using) or self._prepare(using)
        bound = self._bind(statement, args, connection)
        if bound is None:
            return []
        sql, params = bound
        if self._paged:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        cursor = kept_cursor(connection, "jsonb", _register_jsonb) if json_cast else kept_cursor(connection)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if converters:
            return list(compiler.apply_converters(rows, converters))
        return rows


def _register_jsonb(cursor) -> None:
    from psycopg2.extensions import register_type

    register_type(_JSONB, cursor.cursor)


class _Statement(NamedTuple):
    """Compiled SQL split at its placeholders; per placeholder, the argument it binds (None: the
    constant compiled there, in ``compiled``)."""

    pieces: list[str]
    slots: list[int | None]
    compiled: list[Any]


class _RowCount(Func):
    """``COUNT(*)`` as a plain column: ``values()`` adds no GROUP BY for it, so the query is the one
    ``count()`` sends."""

    template = "COUNT(*)"
    contains_aggregate = False
    output_field = IntegerField()

    def __init__(self):
        super().__init__()


def count_query(queryset: QuerySet) -> QuerySet:
    """The ``SELECT COUNT(*) AS "__count"`` that ``queryset.count()`` sends, as a ``values()`` query.

    Only for a query ``count()`` counts in place (no slice, ``distinct``, grouping, aggregate or
    set operation, which it counts in a subquery): anything else raises ValueError.
    """
    query = queryset.query
    if (
        query.is_sliced
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or any(getattr(annotation, "contains_aggregate", True) for annotation in query.annotations.values())
    ):
        raise ValueError("count_query: count() would count this query in a subquery")
    return queryset.order_by().values(__count=_RowCount())


class PreparedCount:
    """``build(*args)``'s ``count()``, compiled once (``count_query``): one ``COUNT(*)``, none for an
    empty ``IN`` list (0, as the ORM answers)."""

    def __init__(
        self, build: Callable[..., QuerySet], *, kinds: tuple[str, ...], samples: tuple[Any, ...] | None = None
    ):
        self.values = PreparedValues(lambda *args: count_query(build(*args)), kinds=kinds, samples=samples)

    def sql(self, *args, using: str = "default") -> tuple[str, list[Any]] | None:
        return self.values.sql(*args, using=using)

    def count(self, *args, using: str = "default") -> int:
        rows = self.values.values_list(*args, using=using)
        return rows[0][0] if rows else 0


class PreparedPage:
    """One filter shape of a ``RowsListMixin`` list, compiled once.

    ``build(*args)`` is the page query the view's filters would build for the shape's parameters
    (unsliced, in the view's order); ``arguments(view, cleaned_data)`` gives its arguments from the
    validated filter form, or None where this shape does not apply (a superuser's unscoped list,
    several values where the query takes one), and the view then filters as usual. A test compares
    ``sql()`` with the statement the view's filters build for the same values
    (``tests/omnitron/test_prepared_pages.py``), so the two cannot drift.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        kinds: tuple[str, ...],
        arguments: Callable[[Any, dict[str, Any]], tuple | None],
        samples: tuple[Any, ...] | None = None,
    ):
        self.values = PreparedValues(build, kinds=kinds, paged=True, samples=samples)
        self.counted = PreparedCount(build, kinds=kinds, samples=samples)
        self.arguments = arguments

    def rows(self, arguments: tuple, *, limit: int, offset: int) -> list[dict[str, Any]]:
        return self.values.rows(*arguments, limit=limit, offset=offset)

    def count(self, arguments: tuple) -> int:
        """How many rows the shape has in all: the ``COUNT(*)`` the view's ``count()`` sends."""
        return self.counted.count(*arguments)


def page_arguments(scope: Callable[[Any], Any], *names: str) -> Callable[[Any, dict[str, Any]], tuple | None]:
    """``arguments`` for a ``PreparedPage``: ``(scope(view), cleaned[name], ...)``, a list of one value
    passed as that value. None (filter as usual) when the scope is None (every channel), a value is
    empty, or a list holds several values."""

    def arguments(view, cleaned: dict[str, Any]) -> tuple | None:
        scoped = scope(view)
        if scoped is None:
            return None
        values = []
        for name in names:
            value = cleaned.get(name)
            if isinstance(value, list | tuple):
                if len(value) != 1:
                    return None
                value = value[0]
            if value is None or value == "":
                return None
            values.append(value)
        return (scoped, *values)

    return arguments
