"""Domain errors raised by catalog services."""

from omnitron.errors import NotAcceptableError


class InsufficientStockError(NotAcceptableError):
    """Available stock is below what was asked for; ``shortages`` lists SKU, requested, available."""

    code = "insufficient_stock"

    def __init__(self, shortages: list[dict]) -> None:
        skus = ", ".join(entry["sku"] for entry in shortages)
        super().__init__(f"Insufficient stock for: {skus}.", items=shortages)
        self.shortages = shortages
