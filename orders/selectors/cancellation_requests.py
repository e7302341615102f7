"""Reads of cancellation requests and order shipping infos."""

from django.db.models import QuerySet

from integrations.selectors import feed_object_ids
from orders.models import CancellationRequest

# The most pending requests ``cancellation_requests/updates/`` offers at a time; the channel app
# reads every page, commits them, and the next run gets the rest.
UPDATES_WINDOW = 5000


def cancellation_request_list(*, channel_id: int) -> QuerySet[CancellationRequest]:
    """The channel's cancellation requests, oldest first."""
    return CancellationRequest.objects.filter(channel_id=channel_id).order_by("id")


def cancellation_request_updates(*, channel_id: int) -> QuerySet[CancellationRequest]:
    """The channel's requests that changed since their integration action was last synced and that
    no open batch is processing (``integrations.selectors.feed_object_ids``), by id; at most
    ``UPDATES_WINDOW`` of them."""
    ids = feed_object_ids(channel_id=channel_id, model=CancellationRequest, mode="updates", limit=UPDATES_WINDOW)
    return CancellationRequest.objects.filter(channel_id=channel_id, pk__in=ids).order_by("id")
