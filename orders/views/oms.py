"""OMS order items (seed 001): ``/api/v1/oms/order_items/``, ``list-simple/`` and ``{id}/``."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.viewsets import GenericViewSet

from channels.selectors import user_channel_ids
from omnitron.prepared import PreparedPage, page_arguments
from omnitron.schema import response_example
from omnitron.viewsets import RowsListMixin
from orders.filters.oms import OmsOrderItemFilter
from orders.models import OrderItem
from orders.selectors.oms import (
    OMS_ORDER_ITEM_COLUMNS,
    oms_order_item_content_type_id,
    oms_order_item_list,
    oms_order_item_related,
    oms_order_item_rows,
)
from orders.serializers.oms import (
    OMS_DETAILED_EXAMPLE,
    OMS_SIMPLE_EXAMPLE,
    OmsOrderItemSerializer,
    OmsOrderItemSimpleSerializer,
)
from orders.shapes import oms_order_items_detailed, oms_order_items_simple
from orders.statuses import unknown_status_message

_ERROR = inline_serializer("OmsError", {"detail": serializers.CharField(), "code": serializers.CharField()})
_FILTER_ERROR = OpenApiResponse(
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="An invalid filter, `sort`, or `limit` value, keyed by the parameter.",
    examples=[
        OpenApiExample(
            "Unknown status",
            value={"status": [unknown_status_message("shiped")]},
        )
    ],
)
_UNAUTHORIZED = OpenApiResponse(_ERROR, description="Missing, invalid, expired or revoked token.")
_NOT_FOUND = OpenApiResponse(
    _ERROR,
    description="No such item, or it belongs to a channel the caller is not a member of.",
    examples=[OpenApiExample("Not found", value={"detail": "Not found.", "code": "not_found"})],
)


def list_schema(operation_id: str, summary: str, description: str, serializer, example: dict):
    """The documentation of one OMS list: its shape, example, and the list errors both share."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        responses={
            200: serializer(many=True),
            400: _FILTER_ERROR,
            401: _UNAUTHORIZED,
            404: OpenApiResponse(_ERROR, description="`page` beyond the last page (`Invalid page.`)."),
        },
        examples=[response_example("Order item", example, 200)],
    )


class OmsOrderItemViewSet(RowsListMixin, GenericViewSet):
    """The caller's order items in the OMS shapes; staff see every channel."""

    serializer_class = OmsOrderItemSerializer
    filterset_class = OmsOrderItemFilter
    ordering = ["id"]
    # One order's items by its number, the lookup channel apps and ERPs call most.
    prepared_pages = {
        frozenset({"order_number"}): PreparedPage(
            lambda channels, number: oms_order_item_rows(channel_ids=channels).filter(order__number=number),
            kinds=("in", "value"),
            arguments=page_arguments(lambda view: user_channel_ids(view.request.user), "order_number"),
        ),
    }
    ordering_fields = ["id", "created_date", "modified_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OrderItem.objects.none().values(*OMS_ORDER_ITEM_COLUMNS)
        return oms_order_item_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list_simple":
            return OmsOrderItemSimpleSerializer
        return OmsOrderItemSerializer

    def build_results(self, rows: list) -> list[dict]:
        if self.action == "list_simple":
            return oms_order_items_simple(rows, related=oms_order_item_related(rows, with_products=False))
        return oms_order_items_detailed(
            rows,
            related=oms_order_item_related(rows, with_products=True),
            content_type_id=oms_order_item_content_type_id(),
        )

    @list_schema(
        "oms_order_items_list",
        "Order items, detailed",
        "Order items with their `state` and `product` objects, price and stock lists. "
        "`order_number` narrows to one order's items.",
        OmsOrderItemSerializer,
        OMS_DETAILED_EXAMPLE,
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @list_schema(
        "oms_order_items_list_simple",
        "Order items, simple",
        "Order items with `state`, `order` and `product` as ids; same filters as the detailed list.",
        OmsOrderItemSimpleSerializer,
        OMS_SIMPLE_EXAMPLE,
    )
    @action(detail=False, methods=["get"], url_path="list-simple")
    def list_simple(self, request, *args, **kwargs):
        return RowsListMixin.list(self, request, *args, **kwargs)

    @extend_schema(
        operation_id="oms_order_items_retrieve",
        summary="One order item, detailed",
        responses={200: OmsOrderItemSerializer, 401: _UNAUTHORIZED, 404: _NOT_FOUND},
        examples=[response_example("Order item", OMS_DETAILED_EXAMPLE, 200)],
    )
    def retrieve(self, request, pk: int, *args, **kwargs):
        return self.retrieve_row(self.get_queryset(), pk=pk)
