"""Filters of the OMS order items: ``order_number``, ``status`` and ``modified_date__*``."""

from omnitron.filters import FilterSet, UTCIsoDateTimeFilter
from orders.filters.items import OrderNumberFilter
from orders.filters.statuses import StatusFilter
from orders.models import OrderItem


class OmsOrderItemFilter(FilterSet):
    """Narrow the caller's items; an invalid value answers 400 naming the parameter."""

    order_number = OrderNumberFilter(
        field_name="order__number",
        help_text="The order's number (exact, surrounding whitespace ignored), e.g. `ORD000123`.",
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
