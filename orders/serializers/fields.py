"""Serializer fields for order data."""

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from orders.statuses import parse_status, unknown_status_message

STATUS_HELP = 'An order status code ("200") or name ("waiting"); see GET /api/v1/order_statuses/.'


@extend_schema_field({"type": "string", "example": "200", "description": STATUS_HELP})
class StatusField(serializers.Field):
    """An order/order-item status given as its code or name; validated to the code string."""

    def __init__(self, *, blank_is_default: bool = False, **kwargs):
        self.blank_is_default = blank_is_default
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        # channel-app sends "" when the marketplace gave no status: the field's default applies.
        if self.blank_is_default and data == "":
            raise SkipField()
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, (dict, list)):
            raise serializers.ValidationError(unknown_status_message(type(data).__name__), code="invalid")
        code = parse_status(data)
        if code is None:
            raise serializers.ValidationError(unknown_status_message(str(data)[:64]), code="invalid")
        return code

    def to_representation(self, value: str) -> str:
        return value


class ClientDateTimeField(serializers.DateTimeField):
    """An input datetime in ISO 8601 or Python's ``str(datetime)`` (space separator); a value
    without an offset is read in ``API_NAIVE_DATETIME_TIME_ZONE``; the value is kept in UTC.
    Input only: DRF would render values in that zone."""

    def default_timezone(self):
        return ZoneInfo(settings.API_NAIVE_DATETIME_TIME_ZONE)

    def to_internal_value(self, value) -> datetime:
        return super().to_internal_value(value).astimezone(UTC)


class DateOrDateTimeField(serializers.DateField):
    """A date; a datetime is accepted too and its calendar date, as written, is kept
    (``2025-03-01 23:30:00+03:00`` is 1 March). channel-app sends a delivery datetime here."""

    def to_internal_value(self, value) -> date:
        if isinstance(value, str) and len(value) > 10:
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None:
                return parsed.date()
        return super().to_internal_value(value)
