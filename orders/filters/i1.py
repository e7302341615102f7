"""Filters of the integration (i1) order list (API.md 4.3)."""

import django_filters

from omnitron.filters import FilterSet, IdFilter, IdInFilter, StrictBooleanFilter, add_datetime_range_filters
from orders.filters.items import OrderNumberFilter
from orders.filters.statuses import StatusFilter, StatusInFilter
from orders.models import CancelStatus, Order, OrderItem


class OrderI1Filter(FilterSet):
    """``number`` is the seed's "order detail by order number"; ``?is_send=false&status=400`` is the ERP queue."""

    number = OrderNumberFilter()
    status = StatusFilter(field_name="status", label="Status code or name")
    status__in = StatusInFilter(field_name="status")
    is_send = StrictBooleanFilter()
    cancel_status = django_filters.ChoiceFilter(
        choices=CancelStatus.choices, method="filter_cancel_status", label="Orders with any item in this cancel status"
    )
    channel = IdFilter(field_name="channel_id")
    pk__in = IdInFilter(field_name="id")

    class Meta:
        model = Order
        fields: list[str] = []

    def filter_cancel_status(self, queryset, name, value):
        return queryset.filter(id__in=OrderItem.objects.filter(cancel_status=value).values("order_id"))


add_datetime_range_filters(OrderI1Filter, "date_placed", "created_date", "modified_date")
