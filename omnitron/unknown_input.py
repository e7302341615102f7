"""Input an endpoint does not take (API.md §1, "Unknown fields and parameters").

Omnitron ignores body fields it does not know (or that are read-only) and query parameters it
does not read; so does this service, the same way on every endpoint, and it names them in the
``Ignored-Fields`` and ``Ignored-Parameters`` response headers. A client that sends
``Prefer: handling=strict`` (RFC 7240) gets a 400 instead, and ``Preference-Applied:
handling=strict`` on every response.

Three parts share one per-request ``InputReport``: ``UnknownInputMiddleware`` reads ``Prefer``,
checks the query string against the parameters the resolved view reads (``known_parameters``)
and writes the headers; ``UnknownFieldsMixin`` screens a serializer's input against its fields.
"""

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, cast
from urllib.parse import quote

from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.views import APIView

# The mixin is typed against the class it goes on; at run time it stays a plain mixin.
if TYPE_CHECKING:
    _SerializerBase = serializers.Serializer
else:
    _SerializerBase = object

IGNORED_FIELDS_HEADER = "Ignored-Fields"
IGNORED_PARAMETERS_HEADER = "Ignored-Parameters"
PREFERENCE_APPLIED_HEADER = "Preference-Applied"
STRICT = "handling=strict"
UNKNOWN_FIELD = "Unknown field."
UNKNOWN_PARAMETER = "Unknown query parameter."
# Header values stay short enough for every proxy; the rest is summarised as "...".
MAX_NAMES_IN_HEADER = 50
# The actions of a viewset that address one object (no list, so no pagination).
DETAIL_ACTIONS = frozenset({"retrieve", "update", "partial_update", "destroy"})


@dataclass
class InputReport:
    """What one request sent that its endpoint does not take, and whether it asked for refusals."""

    strict: bool = False
    fields: list[str] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)


_report: ContextVar[InputReport | None] = ContextVar("omnitron_input_report", default=None)


def current_report() -> InputReport:
    """The report of the request being served; outside a request (admin forms, commands) a lenient throwaway."""
    return _report.get() or InputReport()


def prefers_strict(header: str | None) -> bool:
    """Whether a ``Prefer`` header asks for ``handling=strict`` (RFC 7240: names are
    case-insensitive, values may be quoted, the first ``handling`` preference counts)."""
    if not header:
        return False
    for preference in header.split(","):
        token, _, value = preference.split(";", 1)[0].partition("=")
        if token.strip().lower() == "handling":
            return value.strip().strip('"').lower() == "strict"
    return False


def header_value(names: list[str]) -> str:
    shown = names[:MAX_NAMES_IN_HEADER]
    if len(names) > MAX_NAMES_IN_HEADER:
        shown.append("...")
    return ", ".join(shown)


def _segment(key: object) -> str:
    """A body key as it appears in a field path: percent-encoded beyond letters, digits and ``_.-~``."""
    return quote(str(key), safe="")


def _path(parent: str, key: object) -> str:
    return f"{parent}.{_segment(key)}" if parent else _segment(key)


# --- Body fields -------------------------------------------------------------------------------


_PLAIN, _LIST, _NESTED = 0, 1, 2


def _writable(serializer: serializers.Serializer) -> dict:
    """The serializer's writable fields, each with how its value is screened; built once per
    serializer instance (a list's child serves every entry)."""
    plan = serializer.__dict__.get("_writable_fields_plan")
    if plan is None:
        plan = {}
        for name, declared in serializer.fields.items():
            if declared.read_only:
                continue
            if isinstance(declared, serializers.ListSerializer):
                kind = _LIST if isinstance(declared.child, serializers.Serializer) else _PLAIN
            else:
                kind = _NESTED if isinstance(declared, serializers.Serializer) else _PLAIN
            plan[name] = (declared, kind)
        serializer.__dict__["_writable_fields_plan"] = plan
    return plan


def screen_fields(serializer: serializers.Serializer, data: Mapping, path: str, ignored: list[str]):
    """``data`` without the keys ``serializer`` does not take, nested serializers (and lists of
    them) included; each dropped key's path goes to ``ignored``. Returns the cleaned data and the
    errors strict handling answers (shaped like the serializer's own errors), or ``None``."""
    writable = _writable(serializer)
    cleaned = {}
    errors: dict = {}
    for key, value in data.items():
        entry = writable.get(key)
        if entry is None:
            ignored.append(_path(path, key))
            errors[key] = [getattr(serializer, "unknown_field_message", UNKNOWN_FIELD)]
            continue
        declared, kind = entry
        if kind == _LIST and isinstance(value, list):
            value, nested_errors = _screen_list(declared, value, _path(path, key), ignored)
        elif kind == _NESTED and isinstance(value, Mapping):
            value, nested_errors = screen_fields(declared, value, _path(path, key), ignored)
        else:
            nested_errors = None
        if nested_errors is not None:
            errors[key] = nested_errors
        cleaned[key] = value
    return cleaned, (errors or None)


def _screen_list(declared: serializers.ListSerializer, entries: list, path: str, ignored: list[str]):
    child = cast(serializers.Serializer, declared.child)  # _writable() marks only lists of serializers _LIST
    cleaned, errors = [], {}
    for index, entry in enumerate(entries):
        if isinstance(entry, Mapping):
            entry, entry_errors = screen_fields(child, entry, f"{path}[{index}]", ignored)
            if entry_errors is not None:
                errors[index] = entry_errors
        cleaned.append(entry)
    if not errors:
        return cleaned, None
    if getattr(declared, "errors_as_list", False):
        return cleaned, [errors.get(index, {}) for index in range(len(entries))]
    return cleaned, errors


class UnknownFieldsMixin(_SerializerBase):
    """Input keys the serializer does not take (undeclared or read-only, at any depth) are
    dropped and named in ``Ignored-Fields``; under ``Prefer: handling=strict`` they answer 400
    ``{"name": ["Unknown field."]}`` (nested like the input). Put it first on the outermost input
    serializer; nested serializers are screened from there. ``unknown_field_message`` may give a
    more helpful refusal."""

    def to_internal_value(self, data):
        if self.parent is None and isinstance(data, Mapping):
            report = current_report()
            ignored: list[str] = []
            data, errors = screen_fields(self, data, "", ignored)
            if errors is not None and report.strict:
                raise serializers.ValidationError(errors)
            report.fields.extend(ignored)
        return super().to_internal_value(data)


# --- Query parameters --------------------------------------------------------------------------


def _backend_parameters(backend, filterset_class) -> set[str]:
    """The parameters a filter backend reads: its ``*_param`` names (``sort``, ``search``) and,
    for django-filter, the filterset's filters (with the suffixes of range widgets)."""
    names = {
        value for attr in dir(backend) if attr.endswith("_param") and isinstance(value := getattr(backend, attr), str)
    }
    base_filters = getattr(filterset_class, "base_filters", None) if hasattr(backend, "get_filterset_class") else None
    for name, declared in (base_filters or {}).items():
        suffixes = getattr(declared.field.widget, "suffixes", None)
        if suffixes:
            names.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
        else:
            names.add(name)
    return names


def _pagination_parameters(pagination_class) -> set[str]:
    return {
        value
        for attr in dir(pagination_class)
        if attr.endswith("_query_param") and isinstance(value := getattr(pagination_class, attr), str)
    }


def _documented_parameters(cls, initkwargs: dict, handler_name: str, method: str) -> set[str]:
    """The query parameters the handler's ``@extend_schema(parameters=...)`` documents."""
    handler = getattr(cls, handler_name, None)
    schema_class = getattr(handler, "kwargs", {}).get("schema") or type(getattr(cls, "schema", None))
    if not isinstance(schema_class, type) or not hasattr(schema_class, "get_override_parameters"):
        return set()
    view = cls(**initkwargs)
    view.request, view.args, view.kwargs, view.action, view.format_kwarg = None, (), {}, handler_name, None
    schema = schema_class()
    schema.view = view
    schema.method = method
    names = set()
    for parameter in schema.get_override_parameters():
        if isinstance(parameter, OpenApiParameter):
            if parameter.location == OpenApiParameter.QUERY:
                names.add(parameter.name)
        elif isinstance(parameter, type) and issubclass(parameter, serializers.Serializer):
            names.update(parameter().fields)
        elif isinstance(parameter, serializers.Serializer):
            names.update(parameter.fields)
    return names


def paginated(handler):
    """Mark a detail action that answers a page (``page``/``limit`` are then its parameters)."""
    handler.paginated = True
    return handler


@lru_cache(maxsize=1024)
def known_parameters(view_func, method: str) -> frozenset[str] | None:
    """The query parameters the view behind ``view_func`` reads for ``method``: its filterset's
    filters and filter backends' parameters, pagination on lists, the parameters its schema
    documents, and ``format``. ``None`` for anything but a DRF view (or a method it lacks)."""
    cls = getattr(view_func, "cls", None)
    if not (isinstance(cls, type) and issubclass(cls, APIView)):
        return None
    initkwargs = getattr(view_func, "initkwargs", None) or {}
    actions = getattr(view_func, "actions", None)
    handler_name = actions.get(method.lower()) if actions else method.lower()
    if handler_name is None or not hasattr(cls, handler_name):
        return None

    def setting(name):
        return initkwargs[name] if name in initkwargs else getattr(cls, name, None)

    names: set[str] = set()
    if api_settings.URL_FORMAT_OVERRIDE:
        names.add(api_settings.URL_FORMAT_OVERRIDE)
    for backend in setting("filter_backends") or ():
        names |= _backend_parameters(backend, setting("filterset_class"))
    handler = getattr(cls, handler_name)
    detail = getattr(handler, "detail", handler_name in DETAIL_ACTIONS)
    pagination_class = setting("pagination_class")
    if method == "GET" and pagination_class is not None and getattr(handler, "paginated", not detail):
        names |= _pagination_parameters(pagination_class)
    names |= _documented_parameters(cls, initkwargs, handler_name, method)
    return frozenset(names)


def unknown_parameters(view_func, method: str, given: Iterable[str]) -> list[str]:
    known = known_parameters(view_func, method)
    if known is None:
        return []
    return [name for name in given if name not in known]


class UnknownInputMiddleware:
    """Per API request: read ``Prefer``, screen the query string against the view's parameters
    (400 under strict, else reported) and send ``Ignored-Fields``, ``Ignored-Parameters`` and
    ``Preference-Applied``. The body is screened by ``UnknownFieldsMixin`` during the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        report = InputReport(strict=prefers_strict(request.headers.get("Prefer")))
        token = _report.set(report)
        try:
            response = self.get_response(request)
        finally:
            _report.reset(token)
        if report.fields:
            response[IGNORED_FIELDS_HEADER] = header_value(report.fields)
        if report.parameters:
            response[IGNORED_PARAMETERS_HEADER] = header_value(report.parameters)
        if report.strict:
            response[PREFERENCE_APPLIED_HEADER] = STRICT
        patch_vary_headers(response, ["Prefer"])
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        report = _report.get()
        if report is None:
            return None
        unknown = unknown_parameters(view_func, request.method, request.GET)
        if not unknown:
            return None
        if report.strict:
            response = JsonResponse({name: [UNKNOWN_PARAMETER] for name in unknown}, status=400)
            return response
        report.parameters.extend(_segment(name) for name in unknown)
        return None


# --- OpenAPI -----------------------------------------------------------------------------------

PREFER_PARAMETER = {
    "in": "header",
    "name": "Prefer",
    "required": False,
    # RFC 7240: a server ignores preferences it does not know, so any value is valid here.
    "schema": {"type": "string"},
    "example": STRICT,
    "description": "RFC 7240 preferences; `handling=strict` makes unknown or read-only body fields and "
    "unknown query parameters answer 400 instead of being ignored. The default is lenient; other "
    "preferences are ignored.",
}
RESPONSE_HEADERS = {
    IGNORED_FIELDS_HEADER: "Body fields that were ignored (unknown or read-only), as paths "
    "(`order.net_shipping_amount, order_item[0].delivered_date`); at most 50, then `...`.",
    IGNORED_PARAMETERS_HEADER: "Query parameters this endpoint does not read, which were ignored.",
    PREFERENCE_APPLIED_HEADER: "`handling=strict` when the request asked for it.",
}


def document_unknown_input(operation: dict) -> None:
    """Add the ``Prefer`` request header and the headers naming ignored input to an operation."""
    operation.setdefault("parameters", []).append(PREFER_PARAMETER)
    for response in operation.get("responses", {}).values():
        headers = response.setdefault("headers", {})
        for name, description in RESPONSE_HEADERS.items():
            headers[name] = {"schema": {"type": "string"}, "description": description}
