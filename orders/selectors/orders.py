"""Reads for the channel order lookup and the order-by-number endpoint (the flat order shape)."""

from django.db.models import QuerySet

from orders.models import Order
from orders.selectors import within_channels


def channel_orders(*, channel_id: int) -> QuerySet:
    """Orders of one channel, oldest first (only the order's own columns are read)."""
    return Order.objects.filter(channel_id=channel_id).order_by("id")


def orders_by_number(*, number: str, channel_ids: list[int] | None) -> QuerySet:
    """Orders with ``number`` in ``channel_ids`` (None: every channel); at most one per channel."""
    return within_channels(Order.objects.filter(number=number).order_by("id"), channel_ids)
