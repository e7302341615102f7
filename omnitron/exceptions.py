"""One exception handler for the API: DRF's shapes, a stable ``code``, never a 500 for bad input."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from omnitron.db import is_retryable
from omnitron.errors import ServiceError, WriteConflictError

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = {
    "detail": "The database is unavailable; retry shortly.",
    "code": "service_unavailable",
}


def database_unavailable_response() -> Response:
    return Response(DATABASE_UNAVAILABLE, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "5"})


def api_exception_handler(exc, context):
    """Map domain errors, Django errors and database outages to JSON responses."""
    if isinstance(exc, ServiceError):
        set_rollback()
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return Response(exc.as_dict(), status=exc.status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, DataError):
        set_rollback()
        logger.warning("Data error answered 400: %s", exc)
        return Response(
            {"detail": "A value is out of range or malformed for storage.", "code": "invalid_data"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if is_retryable(exc):
        # A deadlock or serialization failure inside an outer transaction, which cannot be retried here.
        logger.warning("Write conflict answered 503: %s", exc)
        return api_exception_handler(WriteConflictError(), context)
    if isinstance(exc, (OperationalError, InterfaceError)):
        set_rollback()
        logger.error("Database unavailable: %s", exc)
        return database_unavailable_response()
    if isinstance(exc, DatabaseError):
        # Anything else from the database is our fault; let Django's 500 handler log it.
        return None

    if isinstance(exc, Http404):
        # Django's message names the model ("No Customer matches the given query."); every 404
        # reads the same, whether the row is missing or belongs to another channel.
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(response.data, list):
            response.data = {"non_field_errors": response.data}
        return response
    if isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data["code"] = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.Throttled):
        response.data.setdefault("wait", exc.wait)  # type: ignore[attr-defined]  # set by Throttled.__init__; missing from the DRF stubs
    return response
