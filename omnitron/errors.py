"""Domain errors: raised by services, mapped to HTTP by ``omnitron.exceptions``.

Domain modules import these instead of ``rest_framework`` so services stay usable from the
admin, management commands and tests.
"""

from typing import Any


class ServiceError(Exception):
    """A refusal by a service: answered as ``{"detail", "code", **extra}`` with ``status_code``."""

    status_code = 400
    code = "invalid"
    default_detail = "The request was refused."
    retry_after: int | None = None  # seconds, sent as ``Retry-After``

    def __init__(self, detail: str | None = None, *, code: str | None = None, **extra: Any) -> None:
        self.detail = detail or self.default_detail
        if code:
            self.code = code
        self.extra = extra
        super().__init__(self.detail)

    def as_dict(self) -> dict[str, Any]:
        return {"detail": self.detail, "code": self.code, **self.extra}


class ServiceValidationError(ServiceError):
    """Invalid input found by a service: answered 400 with DRF's shape (``{"field": ["msg"]}``)."""

    status_code = 400
    code = "invalid"

    def __init__(self, errors: dict[str, Any] | list[Any]) -> None:
        self.errors = errors
        super().__init__(str(errors))

    def as_dict(self) -> dict[str, Any] | list[Any]:  # type: ignore[override]
        return self.errors


class NotFoundError(ServiceError):
    """The object does not exist or is outside the caller's channels."""

    status_code = 404
    code = "not_found"
    default_detail = "Not found."


class ConflictError(ServiceError):
    status_code = 409
    code = "conflict"
    default_detail = "The request conflicts with one in progress."


class NotAcceptableError(ServiceError):
    """Omnitron's 406: a service-level refusal such as a duplicate order number."""

    status_code = 406
    code = "not_acceptable"


class WriteConflictError(ServiceError):
    """A write that PostgreSQL kept aborting for concurrent writes to the same rows (deadlock or
    serialization failure) after its retries; its transaction was rolled back."""

    status_code = 503
    code = "write_conflict"
    default_detail = "Concurrent writes to the same rows collided; nothing was written; retry the request."
    retry_after = 1
