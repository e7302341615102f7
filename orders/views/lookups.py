"""Order lookups under a channel: cancellation reasons."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from omnitron.viewsets import ChannelLookupViewSet
from orders.models import CancellationReason, CancellationType
from orders.serializers.lookups import CancellationReasonSerializer


class CancellationReasonFilter(django_filters.FilterSet):
    cancellation_type = django_filters.ChoiceFilter(choices=CancellationType.choices)

    class Meta:
        model = CancellationReason
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List cancellation reasons"), retrieve=extend_schema(summary="Get a cancellation reason")
)
class CancellationReasonViewSet(ChannelLookupViewSet):
    serializer_class = CancellationReasonSerializer
    filterset_class = CancellationReasonFilter
    ordering = ["sort_order", "id"]
    ordering_fields = ["id", "sort_order", "name"]

    def get_queryset(self):
        return CancellationReason.objects.filter(is_active=True).order_by("sort_order", "id")
