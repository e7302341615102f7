"""Money and rate formatting, and the DRF fields that validate them on input.

Money: Decimal, two places, never negative, emitted as a string ("599.99").
Rates (tax): up to four places on input, emitted with two places unless more are significant
("20.00", "8.125").
"""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from omnitron.shapes import money_str, rate_str

__all__ = ["JSONObjectField", "MoneyField", "OptionalURLField", "RateField", "money_str", "rate_str"]


class MoneyField(serializers.DecimalField):
    """A non-negative amount with at most two decimals; numbers or numeric strings accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return money_str(value)


class RateField(serializers.DecimalField):
    """A non-negative rate (percent) with at most four decimals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return rate_str(value)


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
