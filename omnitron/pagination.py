"""Omnitron's page/limit pagination (``{"count", "next", "previous", "results"}``) and an opt-in
keyset cursor for full syncs (``{"next", "previous", "results"}``, no count)."""

import hashlib
import re
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from omnitron.db import BIGINT_MAX

# A token is ``k1`` (keyset, version 1) and the last id in lower-case hexadecimal. It carries only
# the position: the filters are the URL's on every page, so the schema's pattern states exactly
# which tokens are valid (any token it admits is answered, one past the last row by an empty page).
CURSOR_TOKEN = re.compile(r"k1([0-9a-f]{1,16})")
CURSOR_PATTERN = "^(k1[0-9a-f]{1,16})?$"
INVALID_CURSOR = "Invalid cursor: pass back the `next` link of the previous page unchanged, or `cursor=` to start."


def encode_cursor(after: int) -> str:
    """The token ``next`` carries to resume after the row with id ``after``."""
    return f"k1{after:x}"


def decode_cursor(token: str) -> int:
    """The last id a cursor token names (ids beyond the largest bigint read as the largest); 400
    when the token is malformed."""
    match = CURSOR_TOKEN.fullmatch(token)
    if match is None:
        raise ValidationError({"cursor": [INVALID_CURSOR]})
    return min(int(match[1], 16), BIGINT_MAX)


def row_id(row) -> int:
    """The primary key of a page row: a model instance or a ``values()`` dict holding ``id``."""
    if isinstance(row, dict):
        return row["id"] if "id" in row else row["pk"]
    return row.pk


def _rows_statement(queryset) -> tuple[str, Sequence] | None:
    """The SQL and parameters of ``queryset``'s rows; None when it selects nothing by construction
    (``pk__in=[]``), which Django answers without a statement."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None


class PageLimitPagination(BasePagination):
    """``page`` (1-based, default 1) and ``limit`` (default 10, at most 1000).

    The page is fetched first; ``COUNT(*)`` runs only when the page is full (or empty past the
    first page), because a short page already tells the total. With ``API_COUNT_CACHE_SECONDS``
    the count of a query (its SQL and parameters, so filters and visible channels included) is
    reused for that long. An out-of-range page answers 404 ``Invalid page.``; a ``limit`` below 1
    answers 400 and one above 1000 is served as 1000 (clients ask for up to 10000 and page on).

    ``cursor`` (opt-in, for full syncs): ``?cursor=`` starts a keyset walk in ``id`` order and each
    page's ``next`` carries the token for the following one. A page is ``WHERE id > last ORDER BY
    id LIMIT limit + 1`` (the extra row says whether there is a next page), so it costs the same at
    any depth; no ``COUNT(*)`` runs and ``count`` is left out. A malformed token answers 400; with
    a cursor, ``page`` (still validated) and ``sort`` (validated by the sort filter) do not apply:
    rows always come in id order.
    """

    page_query_param = "page"
    limit_query_param = "limit"
    cursor_query_param = "cursor"
    default_limit = 10
    max_limit = 1000
    invalid_page_message = "Invalid page."

    def get_limit(self, request) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        try:
            limit = int(raw)
        except ValueError:
            raise ValidationError({self.limit_query_param: ["A valid integer is required."]}) from None
        if limit < 1:
            raise ValidationError({self.limit_query_param: ["Ensure this value is greater than or equal to 1."]})
        return min(limit, self.max_limit)

    def get_page_number(self, request) -> int:
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw == "":
            return 1
        try:
            page = int(raw)
        except ValueError:
            raise NotFound(self.invalid_page_message) from None
        if page < 1 or page > 2**40:
            raise NotFound(self.invalid_page_message)
        return page

    def get_count(self, queryset) -> int:
        """Total rows for ``queryset``, from the cache when ``API_COUNT_CACHE_SECONDS`` allows."""
        return self.cached_count(lambda: _rows_statement(queryset), queryset.count)

    def cached_count(self, statement: Callable[[], tuple[str, Sequence] | None], count: Callable[[], int]) -> int:
        """``count()``, from the cache when ``API_COUNT_CACHE_SECONDS`` allows, keyed by the rows'
        query: ``statement()`` gives its SQL and parameters (a queryset's ``sql_with_params``, or a
        prepared page's own, which are the same)."""
        ttl = settings.API_COUNT_CACHE_SECONDS
        if ttl <= 0:
            return count()
        bound = statement()
        if bound is None:  # an empty IN list: no statement selects the rows
            return count()
        sql, params = bound
        key = "page-count:" + hashlib.sha256(repr((sql, tuple(params))).encode()).hexdigest()
        cached = cache.get(key)
        if cached is None:
            cached = count()
            cache.set(key, cached, ttl)
        return cached

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        self.cursor_mode = self.cursor_query_param in request.query_params
        if self.cursor_mode:
            return self.paginate_by_cursor(queryset, request)
        return self.paginate_page(
            lambda offset, limit: list(queryset[offset : offset + limit]), lambda: self.get_count(queryset)
        )

    def paginate_rows(self, request, fetch: Callable[[int, int], list], count: Callable[[], int]) -> list:
        """A page/limit page without a queryset: ``fetch(offset, limit)`` gives its rows and ``count()``
        the total (called only when the page does not tell it), validated and answered exactly as
        ``paginate_queryset`` does (``omnitron.prepared.PreparedPage``)."""
        self.request = request
        self.limit = self.get_limit(request)
        self.cursor_mode = False
        return self.paginate_page(fetch, count)

    def paginate_page(self, fetch: Callable[[int, int], list], count: Callable[[], int]) -> list:
        self.page = self.get_page_number(self.request)
        offset = (self.page - 1) * self.limit
        rows = fetch(offset, self.limit)
        if rows and len(rows) < self.limit:
            self.count = offset + len(rows)
        elif not rows and self.page == 1:
            self.count = 0
        else:
            # A cached count may lag behind new rows; it never claims fewer than this page shows.
            self.count = max(count(), offset + len(rows))
        if self.page > 1 and offset >= self.count:
            raise NotFound(self.invalid_page_message)
        return rows

    def paginate_by_cursor(self, queryset, request) -> list:
        """One keyset page after the token's id (the first page for ``cursor=``), in id order.

        ``page`` is validated (404 as without a cursor) and then ignored, and the order is the
        primary key's whatever ``sort`` says: a keyset walk needs one unique, indexed order.
        """
        self.get_page_number(request)
        token = request.query_params.get(self.cursor_query_param)
        queryset = queryset.order_by("pk")
        if token:
            queryset = queryset.filter(pk__gt=decode_cursor(token))
        rows = list(queryset[: self.limit + 1])
        self.has_next = len(rows) > self.limit
        rows = rows[: self.limit]
        self.last_id = row_id(rows[-1]) if rows else None
        return rows

    def get_cursor_next_link(self) -> str | None:
        if not self.has_next or self.last_id is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, encode_cursor(self.last_id))

    def get_next_link(self) -> str | None:
        if self.page * self.limit >= self.count:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page + 1)

    def get_previous_link(self) -> str | None:
        if self.page <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.page == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page - 1)

    def get_paginated_response(self, data) -> Response:
        if self.cursor_mode:
            # A forward-only walk: no count (that is the cost it avoids) and no previous page.
            return Response({"next": self.get_cursor_next_link(), "previous": None, "results": data})
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": "Total rows matching the filters; always present with page/limit, "
                    "left out in cursor mode (`cursor=` given).",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://api.example.org/accounts/?page=4",
                    "description": "The following page, or null on the last one. In cursor mode it "
                    "carries the `cursor` token for the following page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://api.example.org/accounts/?page=2",
                    "description": "The preceding page, or null on the first one; always null in cursor mode.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number within the paginated result set (1-based).",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Number of results per page, from 1; a larger value than {self.max_limit} "
                f"is served as {self.max_limit} (follow `next` for the rest).",
                "schema": {"type": "integer", "minimum": 1, "default": self.default_limit},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opt-in keyset paging for full syncs: give it empty (`cursor=`) for the "
                "first page, then follow `next`, whose `cursor` token is opaque (keep the other "
                "parameters as they were: the token carries only the position). Rows come in `id` "
                "order whatever `sort` says, `page` does not apply, each page costs the same at any "
                "depth, and the response leaves out `count`; `previous` is null. A malformed token "
                "answers 400.",
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
        ]
