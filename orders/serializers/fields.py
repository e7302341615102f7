"""Serializer fields for order data."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.statuses import parse_status

STATUS_HELP = 'An order status code ("200") or name ("waiting"); see GET /api/v1/order_statuses/.'


@extend_schema_field({"type": "string", "example": "200", "description": STATUS_HELP})
class StatusField(serializers.Field):
    """An order/order-item status given as its code or name; validated to the code string."""

    default_error_messages = {
        "invalid": 'Unknown status "{input}"; send a code such as "400" or a name such as "approved".',
    }

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, (dict, list)):
            self.fail("invalid", input=type(data).__name__)
        code = parse_status(data)
        if code is None:
            self.fail("invalid", input=str(data)[:64])
        return code

    def to_representation(self, value: str) -> str:
        return value
