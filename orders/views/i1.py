"""Integration (ERP-facing) endpoints, under /api/i1/ and /api/v1/ (seed 002, API.md 4.3)."""

from abc import abstractmethod

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from channels.selectors import user_channel_ids
from omnitron.errors import ConflictError, NotFoundError
from omnitron.unknown_input import paginated
from omnitron.viewsets import ChannelScopedMixin, RowsListMixin
from orders.filters.i1 import ChannelOrderFilter, OrderI1Filter
from orders.models import Order
from orders.schema import ERROR_400_EXAMPLE, ERROR_404_EXAMPLE, ITEM_EXAMPLE, paginated_example
from orders.selectors.i1 import channel_orders, order_events, order_for_user, order_rows, orders_by_number
from orders.selectors.items import order_item_for_update
from orders.serializers.create import OrderFlatSerializer, order_flat
from orders.serializers.i1 import (
    BulkStatusUpdateSerializer,
    CancelInputSerializer,
    CancelOutputSerializer,
    CreateMappingInputSerializer,
    IntegrationMappingSerializer,
    OrderEventSerializer,
    OrderI1Serializer,
    OrderSentInputSerializer,
    orders_i1,
)
from orders.serializers.items import (
    OrderItemSerializer,
    OrderItemUpdateSerializer,
    order_item_flat_from_instance,
)
from orders.services.cancellation import order_cancel
from orders.services.erp import order_item_acknowledge, order_mark_sent
from orders.services.items import order_items_bulk_update
from orders.views.create_orders import SEED_RESPONSE
from orders.views.items import OrderItemsViewMixin

PK = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The object's id.")
CANCEL_EXAMPLES = [
    OpenApiExample(
        "Cancel two items",
        value={"cancel_items": [113, 114], "reasons": {"113": 1, "114": 1}, "is_cargo_refund": False},
        request_only=True,
    ),
    OpenApiExample("Cancel everything", value={"is_all": True, "reasons": {"113": 2}}, request_only=True),
    OpenApiExample(
        "Missing reason",
        value={"reasons": ["A reason is required for items 114."]},
        response_only=True,
        status_codes=["400"],
    ),
]


def cancel_response(request, *, order_id: int, channel_ids) -> Response:
    """Validate a cancel body, run ``order_cancel`` and answer the plans it wrote."""
    serializer = CancelInputSerializer(data=request.data, context={"order_id": order_id})
    serializer.is_valid(raise_exception=True)
    plans = order_cancel(order_id=order_id, channel_ids=channel_ids, actor=request.user, **serializer.validated_data)
    return Response(CancelOutputSerializer({"cancellation_plans": plans}).data)


class OrderViewSetBase(RowsListMixin, viewsets.GenericViewSet):
    """What the order viewsets share: ordering, permissions, retrieve through the list's builder,
    and cancellation, each within ``visible_channel_ids()``."""

    ordering = ["id"]
    ordering_fields = ["id", "date_placed", "created_date", "modified_date"]
    permission_model = Order
    write_permissions = {"cancel": ["orders.change_order"]}
    lookup_url_kwarg = "id"
    lookup_value_regex = r"\d{1,18}"

    @abstractmethod
    def visible_channel_ids(self) -> list[int] | None:
        """The channels whose orders this viewset reaches (None: every channel)."""

    def retrieve(self, request, *args, **kwargs):
        return self.retrieve_row(self.get_queryset(), id=int(kwargs["id"]))

    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, *args, **kwargs):
        return cancel_response(request, order_id=int(kwargs["id"]), channel_ids=self.visible_channel_ids())


@extend_schema_view(
    list=extend_schema(
        summary="List orders (i1 shape); ?number= finds one order, ?is_send=false&status=400 is the ERP queue"
    ),
    retrieve=extend_schema(summary="Get one order (i1 shape)", parameters=[PK]),
    partial_update=extend_schema(
        summary="Mark an order sent to the ERP (only is_send is writable)",
        parameters=[PK],
        request=OrderSentInputSerializer,
        responses={200: OrderI1Serializer},
        examples=[
            OpenApiExample("Mark sent", value={"is_send": True}, request_only=True),
            OpenApiExample(
                "Item field on the order, with Prefer: handling=strict",
                value={
                    "status": [
                        "Only is_send can be changed on an order; change item fields through PATCH /api/i1/order_items/{pk}/ or /api/i1/order_items/bulk_status_update/."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    ),
    events=extend_schema(
        summary="The order's audit trail, oldest first",
        parameters=[PK],
        responses={200: OrderEventSerializer(many=True)},
    ),
    cancel=extend_schema(
        summary="Cancel items or request refunds",
        parameters=[PK],
        request=CancelInputSerializer,
        responses={200: CancelOutputSerializer},
        examples=CANCEL_EXAMPLES,
    ),
)
class OrderI1ViewSet(OrderViewSetBase):
    """Orders in the shape ERP connectors read (seed 002), scoped to the caller's channels."""

    serializer_class = OrderI1Serializer
    filterset_class = OrderI1Filter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return order_rows(channel_ids=self.visible_channel_ids())

    def build_results(self, rows):
        return orders_i1(rows)

    def visible_channel_ids(self) -> list[int] | None:
        return user_channel_ids(self.request.user)

    def get_order(self) -> Order:
        order = order_for_user(order_id=int(self.kwargs["id"]), channel_ids=self.visible_channel_ids())
        if order is None:
            raise NotFoundError()
        return order

    def partial_update(self, request, *args, **kwargs):
        serializer = OrderSentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = order_mark_sent(
            order=self.get_order(), is_send=serializer.validated_data["is_send"], actor=request.user
        )
        return self.retrieve_row(self.get_queryset(), id=order.pk)

    @paginated
    @action(detail=True, methods=["get"], filterset_class=None, ordering_fields=["id"])
    def events(self, request, *args, **kwargs):
        order = self.get_order()
        page = self.paginate_queryset(self.filter_queryset(order_events(order_id=order.pk)))
        return self.get_paginated_response(OrderEventSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="List order items (flat) of the caller's channels"),
    retrieve=extend_schema(summary="Get one order item", parameters=[PK]),
    partial_update=extend_schema(
        summary="Update an order item (same rules as the channel endpoint)",
        parameters=[PK],
        request=OrderItemUpdateSerializer,
        responses={200: OrderItemSerializer},
        examples=[
            OpenApiExample("Updated item", value=ITEM_EXAMPLE, response_only=True, status_codes=["200"]),
            ERROR_400_EXAMPLE,
        ],
    ),
    bulk_status_update=extend_schema(
        summary="Update several order items at once, all or nothing",
        request=BulkStatusUpdateSerializer,
        responses={200: OrderItemSerializer(many=True)},
        examples=[
            OpenApiExample(
                "Ship two items",
                value={
                    "orderitem_set": [
                        {"id": 113, "status": "500", "tracking_number": "TRK1", "shipping_company": "yurtici"},
                        {"id": 114, "status": "500", "invoice_number": "INV-9", "invoice_date": "2025-01-02T10:00:00Z"},
                    ]
                },
                request_only=True,
            ),
            OpenApiExample(
                "One entry refused: nothing applied",
                value={
                    "orderitem_set": [
                        {},
                        {"status": ["Cannot move from 550 (delivered) to 200 (waiting); allowed: 544, 600."]},
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    ),
    create_mapping=extend_schema(
        summary="Record the ERP's code for an item (and release its stock reservation)",
        parameters=[PK],
        request=CreateMappingInputSerializer,
        responses={200: IntegrationMappingSerializer, 201: IntegrationMappingSerializer},
        examples=[OpenApiExample("Acknowledge", value={"code": "ERP-000113", "update_stock": True}, request_only=True)],
    ),
)
class OrderItemI1ViewSet(OrderItemsViewMixin, viewsets.GenericViewSet):
    """Order items for ERP connectors: list, PATCH one, bulk status updates, ERP code mappings."""

    write_permissions = {
        "bulk_status_update": ["orders.change_orderitem"],
        "create_mapping": ["orders.change_orderitem", "channels.add_integrationmapping"],
    }

    def visible_channel_ids(self) -> list[int] | None:
        return user_channel_ids(self.request.user)

    @action(detail=False, methods=["patch"], filterset_class=None, pagination_class=None)
    def bulk_status_update(self, request, *args, **kwargs):
        serializer = BulkStatusUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = order_items_bulk_update(
            entries=serializer.validated_data["orderitem_set"],
            actor=request.user,
            channel_ids=user_channel_ids(request.user),
        )
        return Response([order_item_flat_from_instance(item) for item in dict.fromkeys(items)])

    @action(detail=True, methods=["post"], filterset_class=None)
    def create_mapping(self, request, *args, **kwargs):
        serializer = CreateMappingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = order_item_for_update(item_id=int(kwargs["id"]), channel_ids=user_channel_ids(request.user))
        if item is None:
            raise NotFoundError()
        mapping, created = order_item_acknowledge(item=item, actor=request.user, **serializer.validated_data)
        body = {
            "pk": mapping.pk,
            "content_type": mapping.content_type_id,
            "object_id": mapping.object_id,
            "integration_type": mapping.integration_type,
            "code": mapping.code,
        }
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


ORDER_FLAT_EXAMPLE = {key: value for key, value in SEED_RESPONSE.items() if key != "orderitem_set"}


@extend_schema_view(
    list=extend_schema(
        summary="List the channel's orders (flat); ?number= finds one order",
        examples=[paginated_example("Orders", ORDER_FLAT_EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary="Get one order of the channel (flat)",
        parameters=[PK],
        examples=[
            OpenApiExample("Order", value=ORDER_FLAT_EXAMPLE, response_only=True, status_codes=["200"]),
            ERROR_404_EXAMPLE,
        ],
    ),
    cancel=extend_schema(
        summary="Cancel items or request refunds",
        parameters=[PK],
        request=CancelInputSerializer,
        responses={200: CancelOutputSerializer},
        examples=CANCEL_EXAMPLES,
    ),
)
class ChannelOrderViewSet(ChannelScopedMixin, OrderViewSetBase):
    """Orders of one sales channel: the flat lookup (seed 003's order shape) and cancellation."""

    serializer_class = OrderFlatSerializer
    filterset_class = ChannelOrderFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return channel_orders(channel_id=self.channel_id)

    def build_results(self, rows):
        return [order_flat(order) for order in rows]

    def visible_channel_ids(self) -> list[int] | None:
        return [self.channel_id]


class OrderByNumberView(GenericAPIView):
    """One order found by its number among the caller's channels, in the channel order shape."""

    serializer_class = OrderFlatSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary="Get one order by its number",
        description=(
            "Searches the caller's channels. A number is unique within a channel; when it exists in "
            "several of the caller's channels the answer is 409 `order_number_ambiguous` with their "
            "`pks` (use `GET /api/v1/channel/{channel_id}/orders/?number=` instead)."
        ),
        responses={200: OrderFlatSerializer, 404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        examples=[
            ERROR_404_EXAMPLE,
            OpenApiExample(
                "In several channels",
                value={
                    "detail": "Order number WEB-1001 exists in several of your channels.",
                    "code": "order_number_ambiguous",
                    "pks": [7, 19],
                },
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    def get(self, request, number: str, *args, **kwargs):
        orders = list(orders_by_number(number=number, channel_ids=user_channel_ids(request.user))[:20])
        if not orders:
            raise NotFoundError()
        if len(orders) > 1:
            raise ConflictError(
                f"Order number {number} exists in several of your channels.",
                code="order_number_ambiguous",
                pks=[order.pk for order in orders],
            )
        return Response(order_flat(orders[0]))
