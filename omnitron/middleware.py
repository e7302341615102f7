"""Middleware that keeps API errors JSON even when they happen outside a DRF view."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

from omnitron.db import is_retryable
from omnitron.errors import WriteConflictError

logger = logging.getLogger(__name__)


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
