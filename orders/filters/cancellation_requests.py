"""Filters of the channel's cancellation requests."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from omnitron.filters import FilterSet, IdFilter, IdInFilter, RepeatedKeyWidget, add_datetime_range_filters
from orders.models import CancellationRequest, CancellationRequestStatus, CancellationType

UNKNOWN_REQUEST_STATUS = "Unknown status %(value)s; one of: " + ", ".join(CancellationRequestStatus.values) + "."


class RequestStatusFormField(forms.Field):
    """One or more cancellation-request statuses (the key repeated)."""

    widget = RepeatedKeyWidget

    @staticmethod
    def openapi_schema() -> dict:
        return {"type": "array", "items": {"type": "string", "enum": list(CancellationRequestStatus.values)}}

    def clean(self, value):
        values = value if isinstance(value, list) else [value]
        statuses = []
        for text in values:
            if text in (None, ""):
                continue
            if text not in CancellationRequestStatus.values:
                raise forms.ValidationError(UNKNOWN_REQUEST_STATUS, params={"value": repr(str(text)[:50])})
            statuses.append(text)
        return statuses or None


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "enum": list(CancellationRequestStatus.values)},
        "description": "Repeat the key for any of several (`status=waiting&status=confirmed`).",
    }
)
class RequestStatusFilter(django_filters.Filter):
    field_class = RequestStatusFormField

    def filter(self, qs, value):
        if not value:
            return qs
        if len(value) == 1:
            return qs.filter(status=value[0])
        return qs.filter(status__in=value)


class CancellationRequestFilter(FilterSet):
    """``status`` (repeatable), ``cancellation_type``, ``order_item``, ``remote_id``, ``pk__in`` and
    ``created_date``/``modified_date`` ranges; each served by an index that starts with the channel."""

    status = RequestStatusFilter(label="Status; repeat the key for any of several")
    cancellation_type = django_filters.ChoiceFilter(choices=CancellationType.choices)
    order_item = IdFilter(field_name="order_item_id", label="The order item's id")
    order_item__in = IdInFilter(field_name="order_item_id")
    remote_id = django_filters.CharFilter(max_length=255, label="The marketplace's id of the request")
    pk__in = IdInFilter(field_name="id")

    class Meta:
        model = CancellationRequest
        fields: list[str] = []


add_datetime_range_filters(CancellationRequestFilter, "created_date", "modified_date")
