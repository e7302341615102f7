"""Queries compiled once per process: the hot selectors bind new values to fixed SQL.

Building and compiling an ORM query costs 1-2 ms of Python, more than PostgreSQL needs to answer
a lookup by primary key. A ``PreparedValues`` builds its ``values()`` queryset once (per database
alias), keeps the SQL, the column names and the field converters, and afterwards only binds the
arguments: scalars, or collections for ``__in`` lookups (the ``IN (%s)`` placeholder grows to the
collection's length). The rows are the same dicts ``values()`` would return.
"""

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Distinct sample values, so that the compiled parameters show where each argument went.
_SAMPLES = (-7001, -7002, -7003, -7004)


class PreparedValues:
    """``build(*args)`` returns a ``values()`` queryset whose only parameters are ``args`` in order.

    An argument given as a set, list or tuple is an ``__in`` list; pass the same kinds on every
    call. An empty list returns no rows without a query, as the ORM does.
    """

    def __init__(self, build: Callable[..., QuerySet], *, kinds: tuple[str, ...]):
        if len(kinds) > len(_SAMPLES) or not set(kinds) <= {"value", "in"}:
            raise ValueError("kinds: up to four of 'value' and 'in'")
        self._build = build
        self._kinds = kinds
        self._prepared: dict[str, tuple[list[str], list[str], Any, list]] = {}

    def _prepare(self, alias: str):
        samples = _SAMPLES[: len(self._kinds)]
        args = [[sample] if kind == "in" else sample for sample, kind in zip(samples, self._kinds, strict=True)]
        queryset = self._build(*args)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        pieces = sql.split("%s")
        if [str(param) for param in params] != [str(sample) for sample in samples] or len(pieces) != len(samples) + 1:
            raise ValueError(f"{self._build.__qualname__}: the query's parameters must be exactly its arguments")
        for index, kind in enumerate(self._kinds):
            if kind == "in" and not (pieces[index].endswith("IN (") and pieces[index + 1].startswith(")")):
                raise ValueError(f"{self._build.__qualname__}: argument {index} is not an IN list")
        query = queryset.query
        if query.selected:
            names = list(query.selected)
        else:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        prepared = (pieces, names, compiler, converters)
        self._prepared[alias] = prepared
        return prepared

    def rows(self, *args, using: str = "default") -> list[dict[str, Any]]:
        """The rows for ``args``, as ``values()`` dicts."""
        prepared = self._prepared.get(using) or self._prepare(using)
        pieces, names, compiler, converters = prepared
        sql_parts = [pieces[0]]
        params: list[Any] = []
        for index, (kind, arg) in enumerate(zip(self._kinds, args, strict=True)):
            if kind == "in":
                values = sorted({value for value in arg if value is not None})
                if not values:
                    return []
                sql_parts.append(", ".join(["%s"] * len(values)))
                params.extend(values)
            else:
                sql_parts.append("%s")
                params.append(arg)
            sql_parts.append(pieces[index + 1])
        with connections[using].cursor() as cursor:
            cursor.execute("".join(sql_parts), params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        return [dict(zip(names, row, strict=True)) for row in rows]
