"""Serializer fields for order data."""

from rest_framework import serializers

from orders.statuses import parse_status


class StatusField(serializers.CharField):
    """An order/item status given as its code (``"400"``/``400``) or name (``"approved"``); stored as the code."""

    default_error_messages = {
        "invalid_status": 'Unknown status "{value}"; send a code such as "400" or a name such as "approved".',
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", 'Status code (e.g. "400") or name (e.g. "approved").')
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            data = str(data)
        value = super().to_internal_value(data)
        code = parse_status(value)
        if code is None:
            self.fail("invalid_status", value=value[:50])
        return code
