"""Filters of the channel order lookup (``/api/v1/channel/{channel_id}/orders/``)."""

from omnitron.filters import FilterSet, IdFilter, IdInFilter, add_datetime_range_filters
from orders.filters.items import OrderNumberFilter
from orders.filters.statuses import StatusFilter
from orders.models import Order


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
