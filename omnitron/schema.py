"""OpenAPI generation: operationIds for both integration prefixes, and the error responses every
operation can give, documented once here instead of on every view."""

from django import forms
from django_filters.filters import BaseCSVFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from omnitron.api_tags import api_tag_for_path
from omnitron.filters import MAX_IN_VALUES, StrictBooleanField
from omnitron.unknown_input import document_unknown_input


class ErrorSerializer(serializers.Serializer):
    """Non-validation errors: a message and a stable code. Validation errors (400) use DRF's
    ``{"field": ["message"]}`` shape instead."""

    detail = serializers.CharField()
    code = serializers.CharField()


class ThrottledErrorSerializer(ErrorSerializer):
    """429: the quota of this window is used up."""

    wait = serializers.IntegerField(help_text="Seconds until the window ends (as `Retry-After`).")


def response_example(name: str, value, status: int | None = None) -> OpenApiExample:
    """A response example; with ``status``, of that status code only."""
    return OpenApiExample(name, value=value, response_only=True, status_codes=None if status is None else [str(status)])


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": 'DRF validation errors: `{"field": ["message"]}`, nested for nested input, '
    '`{"non_field_errors": [...]}` for the whole body; or `{"detail", "code"}` for a malformed body.',
    "additionalProperties": {},
}
ERROR_EXAMPLES = {
    "400": ("Invalid input", {"limit": ["Ensure this value is greater than or equal to 1."]}),
    "401": ("No or bad token", {"detail": "Invalid token.", "code": "authentication_failed"}),
    "403": (
        "Missing permission",
        {"detail": "You do not have permission to perform this action.", "code": "permission_denied"},
    ),
    "404": ("Not found or not yours", {"detail": "Not found.", "code": "not_found"}),
    "413": ("Body too large", {"detail": "Request body is larger than 2097152 bytes.", "code": "payload_too_large"}),
    "415": (
        "Not JSON",
        {"detail": 'Unsupported media type "text/plain" in request.', "code": "unsupported_media_type"},
    ),
    "429": (
        "Throttled",
        {"detail": "Request was throttled. Expected available in 3 seconds.", "code": "throttled", "wait": 3},
    ),
    "503": (
        "Database unavailable",
        {"detail": "The database is unavailable; retry shortly.", "code": "service_unavailable"},
    ),
}
# Writes may also answer 503 when concurrent writes to the same rows kept colliding after the
# retries (``omnitron.db.atomic_with_retry``): nothing was written and the request may be repeated.
WRITE_CONFLICT_EXAMPLE = (
    "Write conflict",
    {
        "detail": "Concurrent writes to the same rows collided; nothing was written; retry the request.",
        "code": "write_conflict",
    },
)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
RATELIMIT_HEADERS = {
    "RateLimit-Limit": "Requests allowed in the current window for this user, or integration token (login: username and address).",
    "RateLimit-Remaining": "Requests left in the current window.",
    "RateLimit-Reset": "Seconds until the window ends and the quota is full again.",
}
RETRY_AFTER = "Seconds to wait before retrying."


AUTHORIZE_HELP = (
    "Type the whole header value, the word `Token`, a space and the key: `Token 0123abcd...` "
    "(the key alone is refused with 401). Get a key from `POST /api/v1/auth/login/` "
    "or the one `manage.py seed_demo` / `manage.py bootstrap_integration` prints."
)


class TokenScheme(OpenApiAuthenticationExtension):
    """The ``Token`` header scheme, saying what Swagger UI's Authorize box expects."""

    target_class = "omnitron.authentication.HashedTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": AUTHORIZE_HELP}


def decimal_pattern(field: serializers.DecimalField) -> str:
    """The decimal strings ``field`` takes: at least one digit (drf-spectacular's pattern also
    admits ``""``, ``"-"`` and ``"."``), no sign when it refuses negative values."""
    places = field.decimal_places or 0
    whole = (field.max_digits - places) if field.max_digits is not None else None
    digits = f"\\d{{1,{whole}}}" if whole is not None else "\\d+"
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    if not places:
        return f"^{sign}{digits}$"
    return f"^{sign}(?:{digits}(?:\\.\\d{{0,{places}}})?|\\.\\d{{1,{places}}})$"


# Text fields whose validation a number's string form can pass; the others (e-mail, URL, pattern)
# refuse what a number turns into, so their schema stays text only.
_TEXT_ONLY = (serializers.EmailField, serializers.URLField, serializers.RegexField, serializers.IPAddressField)
_ANNOTATIONS = ("description", "title", "default", "readOnly", "writeOnly", "example")


def accepts_numbers_as_text(field) -> bool:
    """DRF's ``CharField`` takes a JSON number as its text (``1450472`` → ``"1450472"``), as Omnitron
    does; clients send codes and phone numbers either way."""
    return isinstance(field, serializers.CharField) and not isinstance(field, _TEXT_ONLY)


def text_or_number(schema: dict) -> dict:
    """``schema`` (a text field's) widened to admit a JSON number too."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "number"}]}
    annotations = {key: schema[key] for key in _ANNOTATIONS if key in schema}
    text = {key: value for key, value in schema.items() if key not in _ANNOTATIONS}
    return {"anyOf": [text, {"type": "number"}], **annotations}


class OmnitronAutoSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        tag = api_tag_for_path(self.path)
        return [tag] if tag else super().get_tags()

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if not operation:
            return operation
        if self.path.startswith("/api/i1/"):
            # Integration endpoints answer under /api/i1/ and /api/v1/; keep their operationIds apart.
            operation["operationId"] = f"i1_{operation['operationId']}"
        self._add_error_responses(operation)
        document_unknown_input(operation)
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            schema["pattern"] = decimal_pattern(field)
        if direction == "request" and accepts_numbers_as_text(field):
            schema = text_or_number(schema)
        return schema

    def _get_pagination_parameters(self):
        """``page=`` and ``limit=`` with an empty value mean their defaults."""
        parameters = super()._get_pagination_parameters()
        for parameter in parameters:
            if parameter.get("in") == "query":
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_request_for_media_type(self, serializer, direction="request"):
        """A PATCH body with its own input serializer (``extend_schema(request=...)``) is validated
        whole, so its required fields stay required; the view's own ``serializer_class`` is
        validated with ``partial=True`` as DRF does, and documented so."""
        declared = getattr(self.view, "serializer_class", None)
        if self.method != "PATCH" or type(force_instance(serializer)) is declared:
            return super()._get_request_for_media_type(serializer, direction)
        self.method = "PUT"
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = "PATCH"

    def _add_error_responses(self, operation: dict) -> None:
        authenticated = bool(self.view.get_authenticators()) and not operation["operationId"].endswith("auth_login")
        codes = ["503"]
        if authenticated:
            codes.append("401")
        throttled = bool(self.view.get_throttles())
        if throttled:
            codes.append("429")
        if "{" in self.path:
            codes.append("404")
        if self.method in UNSAFE:
            codes += ["400", "413", "415"]
            if authenticated:
                codes.append("403")
        if self.method == "GET" and getattr(self.view, "pagination_class", None) and self._is_list_view():
            # Bad filters, sort or limit answer 400; a page past the end (or not a number) 404.
            codes += ["400", "404"]
        responses = operation.setdefault("responses", {})
        error_ref = self.resolve_serializer(ErrorSerializer, "response").ref
        throttled_ref = self.resolve_serializer(ThrottledErrorSerializer, "response").ref
        for code in codes:
            if code in responses:
                if code == "400":
                    self._as_validation_error(responses[code], error_ref)
                continue
            summary, example = ERROR_EXAMPLES[code]
            schema = {"400": VALIDATION_ERROR_SCHEMA, "429": throttled_ref}.get(code, error_ref)
            responses[code] = {
                "content": {
                    "application/json": {
                        "schema": schema,
                        "examples": {summary.replace(" ", ""): {"value": example, "summary": summary}},
                    }
                },
                "description": summary,
            }
        if self.method in UNSAFE:
            self._add_write_conflict(responses["503"])
        if throttled:
            self._add_ratelimit_headers(responses)

    @staticmethod
    def _add_write_conflict(response: dict) -> None:
        summary, example = WRITE_CONFLICT_EXAMPLE
        response["content"]["application/json"]["examples"][summary.replace(" ", "")] = {
            "value": example,
            "summary": summary,
        }
        response["description"] = (
            "The database is unavailable (`service_unavailable`), or concurrent writes to the same rows "
            "kept colliding after the retries (`write_conflict`); either way nothing was written and the "
            "request may be repeated after `Retry-After` seconds."
        )
        response.setdefault("headers", {})["Retry-After"] = {
            "schema": {"type": "integer", "minimum": 0},
            "description": RETRY_AFTER,
            "required": True,
        }

    @staticmethod
    def _add_ratelimit_headers(responses: dict) -> None:
        """Throttled operations answer with their quota (``omnitron.throttling``); a 429 always does,
        with ``Retry-After``. Failures before the throttle runs (401, 403, 503) may lack them."""
        for code, response in responses.items():
            required = code == "429"
            headers = response.setdefault("headers", {})
            for name, description in RATELIMIT_HEADERS.items():
                headers[name] = {"schema": {"type": "integer", "minimum": 0}, "description": description}
                if required:
                    headers[name]["required"] = True
            if required:
                headers["Retry-After"] = {
                    "schema": {"type": "integer", "minimum": 0},
                    "description": RETRY_AFTER,
                    "required": True,
                }

    @staticmethod
    def _as_validation_error(response: dict, error_ref: dict) -> None:
        """A 400 declared with the ``{"detail", "code"}`` schema gets the validation-error schema:
        every 400 may carry field errors."""
        media = response.get("content", {}).get("application/json")
        if media is not None and media.get("schema") == error_ref:
            media["schema"] = VALIDATION_ERROR_SCHEMA


NO_NUL = "^[^\\u0000]*$"


def filter_value_schema(filter_) -> dict:
    """What a filter's form field accepts, as JSON Schema keywords for one value.

    Read from the form field class and its arguments, so any filter built on the shared classes in
    ``omnitron.filters`` is described as it validates: integers with their bounds (ids from 0),
    booleans as the exact spellings accepted, text with its maximum length. A form field with
    its own rules declares them as ``openapi_schema()``; a schema with a ``type`` replaces the one
    drf-spectacular guessed.
    """
    field_class, extra = filter_.field_class, filter_.extra
    declared = getattr(field_class, "openapi_schema", None)
    if declared is not None:
        return declared()
    if issubclass(field_class, StrictBooleanField):
        return {"type": "string", "enum": list(StrictBooleanField.VALUES)}
    if issubclass(field_class, forms.IntegerField):
        schema = {"type": "integer", "format": "int64"}
        for keyword, argument in (("minimum", "min_value"), ("maximum", "max_value")):
            if extra.get(argument) is not None:
                schema[keyword] = extra[argument]
        return schema
    if issubclass(field_class, forms.CharField):
        # Django's CharField refuses NUL characters.
        schema = {"pattern": NO_NUL}
        if extra.get("max_length") is not None:
            schema["maxLength"] = extra["max_length"]
        return schema
    return {}


class EmptyQueryValuesSchema(OmnitronAutoSchema):
    """For views that read their query parameters themselves (feeds, cursors): an empty value
    means the default, as for filters, so every query parameter has ``allowEmptyValue``."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter.get("in") == "query":
                parameter["allowEmptyValue"] = True
        return operation


class OmnitronFilterExtension(DjangoFilterExtension):
    """django-filter parameters as the server checks them (see ``filter_value_schema``).

    An empty value (``?status=``) means the filter is not applied, as django-filter does, so every
    filter parameter has ``allowEmptyValue``; a list (``pk__in=1,2``) takes at most
    ``MAX_IN_VALUES`` values.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        value_schema = filter_value_schema(filter_field)
        for parameter in parameters:
            parameter["allowEmptyValue"] = True
            schema = parameter["schema"]
            if isinstance(filter_field, BaseCSVFilter):
                schema["maxItems"] = MAX_IN_VALUES
                schema = schema["items"]
            # A query string carries no null: "null" is a text like any other.
            schema.pop("nullable", None)
            if value_schema.get("type") is not None:
                schema.clear()
            schema.update(value_schema)
        return parameters
