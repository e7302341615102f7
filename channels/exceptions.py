"""Domain errors raised by channel services."""

from omnitron.errors import ServiceValidationError


class DuplicateAddressError(ServiceValidationError):
    """The customer already has an identical address.

    ``non_field_errors`` is one string whose first word is ``hash_data:<hash>``: Omnitron's clients
    split it there and look the address up by ``?hash_data=``. ``hash_data`` repeats the hash as a list.
    """

    def __init__(self, *, hash_data: str, pk: int | None) -> None:
        self.hash_data = hash_data
        self.existing_pk = pk
        super().__init__(
            {
                "non_field_errors": (
                    f"hash_data:{hash_data} An identical address already exists for this customer (pk {pk})."
                ),
                "hash_data": [hash_data],
            }
        )
