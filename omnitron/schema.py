"""OpenAPI generation: operationIds for both integration prefixes, and the error responses every
operation can give, documented once here instead of on every view."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from omnitron.unknown_input import document_unknown_input


class ErrorSerializer(serializers.Serializer):
    """Non-validation errors: a message and a stable code. Validation errors (400) use DRF's
    ``{"field": ["message"]}`` shape instead."""

    detail = serializers.CharField()
    code = serializers.CharField()


class ThrottledErrorSerializer(ErrorSerializer):
    """429: the quota of this window is used up."""

    wait = serializers.IntegerField(help_text="Seconds until the window ends (as `Retry-After`).")


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": 'DRF validation errors: `{"field": ["message"]}`, nested for nested input, '
    '`{"non_field_errors": [...]}` for the whole body; or `{"detail", "code"}` for a malformed body.',
    "additionalProperties": {},
}
ERROR_EXAMPLES = {
    "400": ("Invalid input", {"limit": ["Ensure this value is between 1 and 1000."]}),
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
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
RATELIMIT_HEADERS = {
    "RateLimit-Limit": "Requests allowed in the current window for this token (login: username and address).",
    "RateLimit-Remaining": "Requests left in the current window.",
    "RateLimit-Reset": "Seconds until the window ends and the quota is full again.",
}
RETRY_AFTER = "Seconds to wait before retrying."


class OmnitronAutoSchema(AutoSchema):
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
        if throttled:
            self._add_ratelimit_headers(responses)

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
