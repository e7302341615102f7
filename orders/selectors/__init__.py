"""Reads for orders; one module per API family."""

from django.db.models import QuerySet


def within_channels(queryset: QuerySet, channel_ids: list[int] | None) -> QuerySet:
    """``queryset`` narrowed to rows of ``channel_ids`` (None: every channel)."""
    if channel_ids is None:
        return queryset
    return queryset.filter(channel_id__in=channel_ids)
