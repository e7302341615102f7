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


class ChannelOrderFilter(FilterSet):
    """The channel ``orders/`` lookup: find an order by ``number`` or a set of ids."""

    number = OrderNumberFilter()
    pk__in = IdInFilter(field_name="id")
    status = StatusFilter(field_name="status", label="Status code or name")
    channel_id = IdFilter(
        field_name="channel_id", label="The channel's id (the path's channel; another matches nothing)"
    )
    channel = IdFilter(field_name="channel_id", label="Same as `channel_id`")

    class Meta:
        model = Order
        fields: list[str] = []


add_datetime_range_filters(ChannelOrderFilter, "created_date", "modified_date")
