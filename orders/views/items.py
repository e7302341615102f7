"""Sales-channel order items (seed 000): list, detailed, detailed_integration, retrieve, PATCH."""

from abc import abstractmethod
from datetime import UTC, datetime
from functools import cache

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from omnitron.prepared import PreparedPage, page_arguments
from omnitron.schema import response_example
from omnitron.viewsets import ChannelScopedMixin, RowsListMixin
from orders.filters.items import OrderItemFilter
from orders.models import OrderItem
from orders.schema import ERROR_400_EXAMPLE, ERROR_404_EXAMPLE, ITEM_EXAMPLE, ErrorSerializer, paginated_example
from orders.selectors.items import order_item_rows, order_items_related, order_numbers_of
from orders.serializers.items import (
    OrderItemDetailedIntegrationSerializer,
    OrderItemDetailedSerializer,
    OrderItemSerializer,
    OrderItemUpdateSerializer,
    order_item_flat_from_instance,
)
from orders.services.items import order_item_update
from orders.shapes import (
    ORDER_ITEM_DETAILED,
    ORDER_ITEM_DETAILED_INTEGRATION,
    ORDER_ITEM_FLAT,
    order_items_detailed,
    order_items_flat,
)
from orders.statuses import unknown_status_message

ITEM_ORDERING_FIELDS = ["id", "created_date", "modified_date", "status", "order_id"]
CHANNEL_ID = OpenApiParameter("channel_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The channel's id.")
ITEM_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The order item's id.")
LIST_ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer}
LIST_ERROR_EXAMPLES = [
    response_example("Invalid filter", {"status": [unknown_status_message("shipped_x")]}, 400),
    ERROR_404_EXAMPLE,
]


@cache
def channel_item_pages(columns: tuple[str, ...]) -> dict[frozenset[str], PreparedPage]:
    """A channel's items by status changed since a time (the ERP's and channel app's poll), per shape."""
    return {
        frozenset({"status", "modified_date__gte"}): PreparedPage(
            lambda channel, status, since: (
                order_item_rows(channel_ids=[channel], columns=columns)
                .filter(status=status)
                .filter(modified_date__gte=since)
            ),
            kinds=("value", "value", "value"),
            arguments=page_arguments(lambda view: view.channel_id, "status", "modified_date__gte"),
            samples=(-7001, "-7002", datetime(2001, 2, 3, 4, 5, 6, 7008, tzinfo=UTC)),
        )
    }


class OrderItemsViewMixin(RowsListMixin):
    """Flat order items visible to the caller: list, retrieve and PATCH (``order_item_update``).

    Lists are built from plain rows (no per-field serializers) and keep a constant number of
    queries whatever the page size. Subclasses say which channels are visible.
    """

    serializer_class = OrderItemSerializer
    filterset_class = OrderItemFilter
    ordering = ["id"]
    ordering_fields = ITEM_ORDERING_FIELDS
    permission_model = OrderItem
    lookup_url_kwarg = "id"
    lookup_value_regex = r"\d{1,18}"

    @abstractmethod
    def visible_channel_ids(self) -> list[int] | None:
        """Channels whose items this view shows (None: every channel)."""

    shape = ORDER_ITEM_FLAT

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OrderItem.objects.none()
        return order_item_rows(channel_ids=self.visible_channel_ids(), columns=self.shape.columns)

    def build_results(self, rows):
        return order_items_flat(rows, order_numbers=order_numbers_of(rows))

    def retrieve(self, request, *args, **kwargs):
        return self.retrieve_row(self.get_queryset(), id=int(kwargs["id"]))

    def partial_update(self, request, *args, **kwargs):
        serializer = OrderItemUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = order_item_update(
            item_id=int(kwargs["id"]),
            data=serializer.validated_data,
            actor=request.user,
            channel_ids=self.visible_channel_ids(),
        )
        return Response(order_item_flat_from_instance(item))


@extend_schema_view(
    list=extend_schema(
        summary="List channel related order item data",
        parameters=[CHANNEL_ID],
        responses={200: OrderItemSerializer(many=True), **LIST_ERRORS},
        examples=[paginated_example("Order items", ITEM_EXAMPLE), *LIST_ERROR_EXAMPLES],
    ),
    detailed=extend_schema(
        summary="List channel related order item data via all details",
        parameters=[CHANNEL_ID],
        responses={200: OrderItemDetailedSerializer(many=True), **LIST_ERRORS},
        examples=LIST_ERROR_EXAMPLES,
    ),
    detailed_integration=extend_schema(
        summary="List channel related order item data with integration mapping data via all details",
        parameters=[CHANNEL_ID],
        responses={200: OrderItemDetailedIntegrationSerializer(many=True), **LIST_ERRORS},
        examples=LIST_ERROR_EXAMPLES,
    ),
    retrieve=extend_schema(
        summary="Get one order item",
        parameters=[CHANNEL_ID, ITEM_ID],
        responses={200: OrderItemSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
        examples=[
            response_example("Order item", ITEM_EXAMPLE, 200),
            ERROR_404_EXAMPLE,
        ],
    ),
    partial_update=extend_schema(
        summary="Updates a specific field for given order item id",
        parameters=[CHANNEL_ID, ITEM_ID],
        request=OrderItemUpdateSerializer,
        responses={
            200: OrderItemSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "Ship an item",
                value={
                    "status": "shipped",
                    "shipping_company": "yurtici",
                    "tracking_number": "TRK123",
                    "extra_field": {"cargo_line": 3},
                },
                request_only=True,
            ),
            response_example("Updated item", ITEM_EXAMPLE, 200),
            ERROR_400_EXAMPLE,
            ERROR_404_EXAMPLE,
        ],
    ),
)
class ChannelOrderItemViewSet(ChannelScopedMixin, OrderItemsViewMixin, viewsets.GenericViewSet):
    """Order items of one sales channel, flat or detailed."""

    def get_prepared_pages(self):
        return channel_item_pages(self.shape.columns)

    def visible_channel_ids(self) -> list[int]:
        return [self.channel_id]

    def build_results(self, rows):
        if self.action in ("detailed", "detailed_integration"):
            related = order_items_related(rows, with_mappings=self.action == "detailed_integration")
            return order_items_detailed(rows, related=related)
        return super().build_results(rows)

    @action(detail=False, methods=["get"], shape=ORDER_ITEM_DETAILED)
    def detailed(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @action(detail=False, methods=["get"], shape=ORDER_ITEM_DETAILED_INTEGRATION)
    def detailed_integration(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
