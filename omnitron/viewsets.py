"""View plumbing shared by the API families."""

from abc import ABC, abstractmethod

from django.http import Http404
from rest_framework.response import Response


class RowsListMixin(ABC):
    """``list()`` for the hot read paths: page the selector's rows, then build plain dicts.

    The selector (``get_queryset``) fetches exactly the columns needed (``values()`` plus
    grouped queries for nested data) and ``build_results(rows)`` turns a page into response
    dicts, which the orjson renderer writes. ``serializer_class`` stays declared for the
    OpenAPI schema; tests check that both agree on keys.
    """

    @abstractmethod
    def build_results(self, rows: list) -> list[dict]:
        """Response dicts for a page of selector rows, in the same order."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.build_results(page))

    def retrieve_row(self, queryset, **lookup) -> Response:
        """One object through the same builder as the list (404 when missing or not visible)."""
        rows = list(queryset.filter(**lookup)[:1])
        if not rows:
            raise Http404
        return Response(self.build_results(rows)[0])
