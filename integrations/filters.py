"""FilterSets of the integrations app (CLIENTS.md §2.5 and §2.6)."""

import django_filters

from integrations.models import BatchRequest, BatchStatus, IntegrationAction, IntegrationStatus
from integrations.selectors import content_type_for
from omnitron.filters import CharInFilter, FilterSet, IdFilter, IdInFilter


class ContentTypeNameFilter(django_filters.CharFilter):
    """A content type by model name; an unknown name matches nothing."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        content_type = content_type_for(value)
        if content_type is None:
            return qs.none()
        return qs.filter(**{self.field_name: content_type.pk})


class ChannelIdFilter(IdFilter):
    """The channel's id: redundant with the URL (clients send it); another channel matches nothing."""

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(channel_id=value)


class BatchRequestFilter(FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=BatchStatus.choices, label="Status; repeat the key for several (status=sent_to_remote&status=ongoing)"
    )
    content_type = ContentTypeNameFilter(field_name="content_type_id", label="Model name (order, product, …)")
    channel = ChannelIdFilter(label="The channel's id (same as the URL's)")
    local_batch_id = django_filters.UUIDFilter()
    remote_batch_id = django_filters.CharFilter()

    class Meta:
        model = BatchRequest
        fields = []


class IntegrationActionFilter(FilterSet):
    channel = ChannelIdFilter(label="The channel's id (same as the URL's)")
    channel_id = ChannelIdFilter(label="The channel's id (same as the URL's)")
    content_type_name = ContentTypeNameFilter(field_name="content_type_id", label="Model name (order, product, …)")
    remote_id__exact = django_filters.CharFilter(field_name="remote_id", lookup_expr="exact")
    remote_id__in = CharInFilter(field_name="remote_id", lookup_expr="in", label="Comma-separated remote ids")
    object_id = IdFilter()
    object_id__in = IdInFilter(field_name="object_id", lookup_expr="in", label="Comma-separated object ids")
    local_batch_id = django_filters.UUIDFilter()
    status = django_filters.ChoiceFilter(choices=IntegrationStatus.choices)

    class Meta:
        model = IntegrationAction
        fields = []
