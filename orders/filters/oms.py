"""Filters of the OMS order items: ``order_number``, ``status`` and ``modified_date__*``."""

import django_filters
from django import forms

from omnitron.filters import FilterSet, UTCIsoDateTimeFilter
from orders.models import OrderItem
from orders.statuses import parse_status


class StatusFormField(forms.CharField):
    """A status code or snake_case name (``400``, ``approved``, ``cancelled``), cleaned to the code."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return value
        code = parse_status(value)
        if code is None:
            raise forms.ValidationError(
                # The value goes in params: django-filter %-formats messages, so a "%" in it would raise.
                "Unknown status %(value)r: send a status code (e.g. 400) or name (e.g. approved).",
                code="invalid_choice",
                params={"value": value},
            )
        return code


class StatusFilter(django_filters.CharFilter):
    field_class = StatusFormField


class OmsOrderItemFilter(FilterSet):
    """Narrow the caller's items; an invalid value answers 400 naming the parameter."""

    order_number = django_filters.CharFilter(
        field_name="order__number", help_text="The order's number (exact), e.g. `ORD000123`."
    )
    status = StatusFilter(field_name="status", help_text="Item status: code (`450`) or name (`preparing`).")
    modified_date__gt = UTCIsoDateTimeFilter(
        field_name="modified_date", lookup_expr="gt", help_text="Items modified after this ISO 8601 time."
    )
    modified_date__gte = UTCIsoDateTimeFilter(
        field_name="modified_date", lookup_expr="gte", help_text="Items modified at or after this ISO 8601 time."
    )
    modified_date__lt = UTCIsoDateTimeFilter(
        field_name="modified_date", lookup_expr="lt", help_text="Items modified before this ISO 8601 time."
    )
    modified_date__lte = UTCIsoDateTimeFilter(
        field_name="modified_date", lookup_expr="lte", help_text="Items modified at or before this ISO 8601 time."
    )

    class Meta:
        model = OrderItem
        fields: list[str] = []
