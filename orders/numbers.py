"""Order numbers: one normalization for storing a number and for every lookup by number.

A number is compared as stored after ``order_number_normalize``: surrounding whitespace removed
and Unicode NFC, so ``"ABC-1 "`` and ``"ABC-1"`` (or an NFD and an NFC spelling) are one number.
"""

import unicodedata

ORDER_NUMBER_MAX_LENGTH = 128
# What a lookup by number accepts, for the OpenAPI schema: no control character (Unicode Cc) but
# in the whitespace around the number, which is stripped.
_SPACE = "[\\u0009-\\u000d\\u001c-\\u0020\\u0085]*"
ORDER_NUMBER_PATTERN = f"^{_SPACE}[^\\u0000-\\u001f\\u007f-\\u009f]*{_SPACE}$"


class OrderNumberInvalid(ValueError):
    """A number that cannot be stored: empty after stripping, or with a control character."""

    code = "order_number_invalid"


def order_number_clean(value: str) -> str:
    """``value`` stripped and in NFC; surrounding whitespace is not part of a number."""
    return unicodedata.normalize("NFC", value.strip())


def order_number_normalize(value: str) -> str:
    """The stored form of ``value``; raises OrderNumberInvalid when none exists."""
    cleaned = order_number_clean(value)
    if not cleaned:
        raise OrderNumberInvalid("An order number must not be empty or only whitespace.")
    bad = next((char for char in cleaned if unicodedata.category(char) == "Cc"), None)
    if bad is not None:
        raise OrderNumberInvalid(f"An order number must not contain control characters (found U+{ord(bad):04X}).")
    if len(cleaned) > ORDER_NUMBER_MAX_LENGTH:
        raise OrderNumberInvalid(f"Ensure this field has no more than {ORDER_NUMBER_MAX_LENGTH} characters.")
    return cleaned
