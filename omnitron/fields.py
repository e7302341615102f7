"""Money and rate formatting, and the DRF fields that validate them on input.

Money: Decimal, two places, never negative, emitted as a string ("599.99").
Rates (tax): up to four places on input, emitted with two places unless more are significant
("20.00", "8.125").
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from omnitron.shapes import money_str, rate_str

__all__ = ["JSONObjectField", "MoneyField", "OptionalURLField", "RateField", "money_str", "rate_str"]


class _NonNegativeDecimalField(serializers.DecimalField):
    """A non-negative decimal of ``digits`` digits, ``places`` of them decimals, written by ``formatter``."""

    digits: int
    places: int
    formatter: Callable[[Any], str | None]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", self.digits)
        kwargs.setdefault("decimal_places", self.places)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.formatter(value)


class MoneyField(_NonNegativeDecimalField):
    """A non-negative amount with at most two decimals; numbers or numeric strings accepted."""

    digits, places = 14, 2
    formatter = staticmethod(money_str)


class RateField(_NonNegativeDecimalField):
    """A non-negative rate (percent) with at most four decimals."""

    digits, places = 7, 4
    formatter = staticmethod(rate_str)


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(serializers.JSONField):
    """A JSON object (``{}``); other JSON types (lists, strings, numbers) are refused."""

    default_error_messages = {"not_an_object": "Expected a JSON object."}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            self.fail("not_an_object")
        return value


class OptionalURLField(serializers.URLField):
    """A URL, or null; an empty string clears it too (stored as null), so a response carries a
    valid URL or null, never ``""``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        return None if value == "" else value
