"""Domain errors of the integrations app (mapped to HTTP by ``omnitron.exceptions``)."""

from omnitron.errors import NotAcceptableError, ServiceError


class BatchRequestDoneError(NotAcceptableError):
    """A change to a batch request that is already done (the code the published client tolerates)."""

    code = "batch_request_status_100_1"
    default_detail = "The batch request is done; it cannot change any more."


class BatchRequestTransitionError(ServiceError):
    """A status move the protocol never makes (back to initialized)."""

    status_code = 400
    code = "batch_request_invalid_transition"
