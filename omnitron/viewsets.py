"""View plumbing shared by the API families."""

import builtins
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from channels.selectors import channel_check_access
from omnitron.filters import FilterSet
from omnitron.pagination import PageLimitPagination
from omnitron.prepared import PreparedPage

# Query parameters of the page itself, not of a filter.
PAGE_PARAMETERS = frozenset({"limit", "page"})

# Mixins are typed against the views they go on; at run time they stay plain mixins.
if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _ViewBase = GenericAPIView
else:
    _ViewBase = object


class RowsListMixin(ABC, _ViewBase):
    """``list()`` for the hot read paths: page the selector's rows, then build plain dicts.

    The selector (``get_queryset``) fetches exactly the columns needed (``values()`` plus
    grouped queries for nested data) and ``build_results(rows)`` turns a page into response
    dicts, which the orjson renderer writes. ``serializer_class`` stays declared for the
    OpenAPI schema; tests check that both agree on keys.
    """

    @abstractmethod
    def build_results(self, rows: list) -> list[dict]:
        """Response dicts for a page of selector rows, in the same order."""

    #: The list's most frequent filter shapes compiled once, by the set of query parameters they
    #: take (``limit`` and ``page`` aside): ``omnitron.prepared.PreparedPage``.
    prepared_pages: ClassVar[Mapping[frozenset[str], PreparedPage]] = {}

    def list(self, request, *args, **kwargs):
        page = self.prepared_page(request)
        if page is None:
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if page is None:
            raise ImproperlyConfigured(f"{type(self).__name__}: RowsListMixin lists need a pagination_class")
        return self.get_paginated_response(self.build_results(page))

    def get_prepared_pages(self) -> Mapping[frozenset[str], PreparedPage]:
        """The prepared filter shapes of this request's list (by default ``prepared_pages``)."""
        return self.prepared_pages

    def prepared_page(self, request) -> builtins.list | None:
        """The page through a ``PreparedPage`` when the request has exactly one's parameters and
        they are valid; None otherwise (the view filters as usual, errors included)."""
        names = frozenset(request.query_params.keys()) - PAGE_PARAMETERS
        prepared = self.get_prepared_pages().get(names)
        paginator = self.paginator
        filterset_class = getattr(self, "filterset_class", None)
        if (
            prepared is None
            or not isinstance(paginator, PageLimitPagination)
            or not (isinstance(filterset_class, type) and issubclass(filterset_class, FilterSet))
        ):
            return None
        # The filters' form fields clean the given values; the rows and their count come from the
        # prepared shape. Anything the form would refuse goes the usual way, which answers the 400.
        cleaned = filterset_class.clean_given(request.query_params, names)
        if cleaned is None:
            return None
        arguments = prepared.arguments(self, cleaned)
        if arguments is None:
            return None
        return paginator.paginate_rows(
            request,
            lambda offset, limit: prepared.rows(arguments, limit=limit, offset=offset),
            # The filters already validated; the count is the shape's own, compiled once too, and
            # cached under the rows' statement as the usual path caches it.
            lambda: paginator.cached_count(lambda: prepared.values.sql(*arguments), lambda: prepared.count(arguments)),
        )

    def retrieve_row(self, queryset, **lookup) -> Response:
        """One object through the same builder as the list (404 when missing or not visible)."""
        rows = list(queryset.filter(**lookup)[:1])
        if not rows:
            raise Http404
        return Response(self.build_results(rows)[0])


class ChannelScopedMixin(_ViewBase):
    """For views under ``/api/v1/channel/{channel_id}/``: 404 unless the caller may see the channel.

    Runs after authentication, before any object lookup, so a foreign channel's data is never
    read. ``self.channel_id`` is the checked id.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.channel_id = int(kwargs["channel_id"])
        channel_check_access(user=request.user, channel_id=self.channel_id)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "channel_id": getattr(self, "channel_id", None)}

    def channel_rows(self, selector: Callable[..., QuerySet], **kwargs) -> QuerySet:
        """``selector(channel_id=<the checked channel>, **kwargs)``; while the schema is generated
        (no request, so no channel) the same selector's empty queryset."""
        if getattr(self, "swagger_fake_view", False):
            return selector(channel_id=0, **kwargs).none()
        return selector(channel_id=self.channel_id, **kwargs)


class ChannelLookupViewSet(
    ChannelScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read-only list and detail under a channel (reference data an integrator needs)."""

    lookup_value_regex = r"\d{1,18}"
    ordering = ["id"]
    ordering_fields = ["id"]


@cache
def api_allowed_methods(view_func) -> tuple[str, ...] | None:
    """The methods a resolved DRF view answers (as its ``Allow`` header lists them); None for other views."""
    view_class = getattr(view_func, "cls", None)
    if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
        return None
    actions = getattr(view_func, "actions", None)
    if actions is not None:
        names = set(actions)
    else:
        names = {name for name in view_class.http_method_names if hasattr(view_class, name)}
    if "get" in names:
        names.add("head")
    names.add("options")
    return tuple(name.upper() for name in view_class.http_method_names if name in names)


class MethodNotAllowedMiddleware:
    """405 with ``Allow`` for a method an API view does not answer, before authentication,
    permissions, throttles and the channel check run: every caller, anonymous or superuser, gets
    the same answer (DRF checks the method only after those, so a non-superuser saw 403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = api_allowed_methods(view_func)
        if allowed is None or request.method in allowed:
            return None
        response = JsonResponse(
            {"detail": f'Method "{request.method[:20]}" not allowed.', "code": "method_not_allowed"}, status=405
        )
        response["Allow"] = ", ".join(allowed)
        return response
