"""Domain errors raised by order services; ``omnitron.exceptions`` maps them to HTTP."""

from omnitron.errors import ConflictError, NotAcceptableError, ServiceError


class OrderNumberExistsError(NotAcceptableError):
    """The channel already has an order with this number; ``pk`` is that order's id."""

    code = "order_number_exists"

    def __init__(self, *, number: str, pk: int) -> None:
        super().__init__(f"An order with number {number!r} already exists in this channel.", pk=pk)
        self.pk = pk


class ProductInactiveError(NotAcceptableError):
    """Some ordered products are inactive; ``items`` lists their pk and SKU."""

    code = "product_inactive"

    def __init__(self, products: list[dict]) -> None:
        skus = ", ".join(entry["sku"] for entry in products)
        super().__init__(f"Inactive product(s) cannot be ordered: {skus}.", items=products)


class IdempotencyKeyInvalidError(ServiceError):
    status_code = 400
    code = "idempotency_key_invalid"


class IdempotencyKeyInFlightError(ConflictError):
    """A request with this key is still being processed; retry after it finishes."""

    code = "idempotency_key_in_flight"
    default_detail = "A request with this Idempotency-Key is still being processed; retry shortly."


class IdempotencyKeyReusedError(ServiceError):
    """The key was first used with a different request body."""

    status_code = 422
    code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was used with a different request body; send a new key for a different request."
    )
