"""Status filters of the order-item, integration and OMS lists: codes or names, cleaned to codes."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from omnitron.filters import AnyOfFilter, RepeatedKeyWidget
from orders.statuses import STATUS_ALIASES, UNKNOWN_STATUS_MESSAGE, parse_status


class StatusFormField(forms.Field):
    """One or more status codes or names (the key repeated), cleaned to a list of codes."""

    widget = RepeatedKeyWidget

    @staticmethod
    def openapi_schema() -> dict:
        return {"type": "array", "items": {"type": "string", "enum": list(STATUS_ALIASES)}}

    def clean(self, value):
        values = value if isinstance(value, list) else [value]
        codes = []
        for text in values:
            if text is None or not str(text).strip():
                continue
            code = parse_status(text)
            if code is None:
                # The value goes in params: django-filter %-formats messages, so a "%" in it would raise.
                raise forms.ValidationError(UNKNOWN_STATUS_MESSAGE, params={"value": str(text)[:50]})
            codes.append(code)
        return codes or None


class StatusListFormField(forms.CharField):
    """Comma-separated status codes or names, cleaned to a list of codes."""

    @staticmethod
    def openapi_schema() -> dict:
        spelling = "(?:" + "|".join(STATUS_ALIASES) + ")"
        return {"type": "string", "pattern": f"^{spelling}(?:,{spelling})*$"}

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        codes = []
        for part in value.split(","):
            code = parse_status(part)
            if code is None:
                raise forms.ValidationError(UNKNOWN_STATUS_MESSAGE, params={"value": part.strip()[:50]})
            codes.append(code)
        return codes


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "Status code (`400`) or name (`approved`); repeat the key for any of several "
        "(`status=400&status=450`).",
    }
)
class StatusFilter(AnyOfFilter):
    """``status=400`` (exact) or ``status=400&status=approved`` (any of them)."""

    field_class = StatusFormField


class StatusInFilter(django_filters.Filter):
    field_class = StatusListFormField

    def filter(self, qs, value):
        return qs if not value else qs.filter(**{f"{self.field_name}__in": value})
