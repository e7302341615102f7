"""Omnitron's page/limit pagination: ``{"count", "next", "previous", "results"}``."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class PageLimitPagination(BasePagination):
    """``page`` (1-based, default 1) and ``limit`` (default 10, at most 1000).

    The page is fetched first; ``COUNT(*)`` runs only when the page is full (or empty past the
    first page), because a short page already tells the total. With ``API_COUNT_CACHE_SECONDS``
    the count of a query (its SQL and parameters, so filters and visible channels included) is
    reused for that long. An out-of-range page answers 404 ``Invalid page.``; a ``limit`` below 1
    answers 400 and one above 1000 is served as 1000 (clients ask for up to 10000 and page on).
    """

    page_query_param = "page"
    limit_query_param = "limit"
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
        ttl = settings.API_COUNT_CACHE_SECONDS
        if ttl <= 0:
            return queryset.count()
        sql, params = queryset.query.sql_with_params()
        key = "page-count:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        count = cache.get(key)
        if count is None:
            count = queryset.count()
            cache.set(key, count, ttl)
        return count

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        self.page = self.get_page_number(request)
        offset = (self.page - 1) * self.limit
        rows = list(queryset[offset : offset + self.limit])
        if rows and len(rows) < self.limit:
            self.count = offset + len(rows)
        elif not rows and self.page == 1:
            self.count = 0
        else:
            # A cached count may lag behind new rows; it never claims fewer than this page shows.
            self.count = max(self.get_count(queryset), offset + len(rows))
        if self.page > 1 and offset >= self.count:
            raise NotFound(self.invalid_page_message)
        return rows

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
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://api.example.org/accounts/?page=4",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://api.example.org/accounts/?page=2",
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
        ]
