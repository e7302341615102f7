"""Domain errors raised by channel services."""

from omnitron.errors import ServiceValidationError


class DuplicateAddressError(ServiceValidationError):
    """The customer already has an identical address; the message carries its ``hash_data``."""

    def __init__(self, *, hash_data: str, pk: int | None) -> None:
        self.hash_data = hash_data
        self.existing_pk = pk
        super().__init__(
            {
                "non_field_errors": [
                    f"An identical address already exists for this customer (pk {pk}, hash_data {hash_data})."
                ],
                "hash_data": [hash_data],
            }
        )
