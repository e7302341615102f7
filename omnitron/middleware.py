"""Middleware that keeps API errors JSON even when they happen outside a DRF view."""

import logging
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

from omnitron.db import is_retryable
from omnitron.errors import WriteConflictError

logger = logging.getLogger(__name__)


# Headers a refusal keeps when its body is replaced (they tell the client what to do next).
_KEPT_HEADERS = (
    "Allow",
    "Retry-After",
    "WWW-Authenticate",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)


def _status_phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Client error"


class JsonClientErrorMiddleware:
    """Give every 4xx a JSON body, whoever produced it (WhiteNoise's 405 on a static file, a
    Django view's ``HttpResponseNotAllowed``...): Omnitron clients json-decode any 4xx body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not 400 <= response.status_code < 500 or response.get("Content-Type", "").startswith("application/json"):
            return response
        phrase = _status_phrase(response.status_code)
        replacement = JsonResponse(
            {"detail": f"{phrase}.", "code": phrase.lower().replace(" ", "_").replace("-", "_")},
            status=response.status_code,
        )
        for name in _KEPT_HEADERS:
            if name in response:
                replacement[name] = response[name]
        return replacement


class ApiErrorMiddleware:
    """Answer JSON 413 for oversized bodies and 503 for an unreachable database on API paths."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse({"detail": "Request body is too large.", "code": "payload_too_large"}, status=413)
        if is_retryable(exception):
            conflict = WriteConflictError()
            response = JsonResponse(conflict.as_dict(), status=conflict.status_code)
            response["Retry-After"] = str(conflict.retry_after)
            return response
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("Database unavailable: %s", exception)
            response = JsonResponse(
                {"detail": "The database is unavailable; retry shortly.", "code": "service_unavailable"}, status=503
            )
            response["Retry-After"] = "5"
            return response
        return None


class RateLimitHeadersMiddleware:
    """Send the throttle quota a request was counted against (``omnitron.throttling``) as
    ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        quota = getattr(request, "ratelimit", None)
        if quota is not None:
            for name, value in quota.headers().items():
                response[name] = value
        return response
