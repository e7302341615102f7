"""Integration (ERP-facing) endpoints, under /api/i1/ and /api/v1/ (seed 002, API.md 4.3)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from channels.selectors import user_channel_ids
from omnitron.errors import NotFoundError
from omnitron.prepared import PreparedPage, page_arguments
from omnitron.schema import response_example
from omnitron.unknown_input import paginated
from orders.filters.i1 import OrderI1Filter
from orders.models import Order
from orders.schema import ERROR_400_EXAMPLE, ITEM_EXAMPLE
from orders.selectors.i1 import order_events, order_for_user, order_rows, orders_i1_related
from orders.selectors.items import order_item_for_update
from orders.serializers.i1 import (
    BulkStatusUpdateSerializer,
    CreateMappingInputSerializer,
    IntegrationMappingSerializer,
    OrderEventSerializer,
    OrderI1Serializer,
    OrderSentInputSerializer,
)
from orders.serializers.items import (
    OrderItemSerializer,
    OrderItemUpdateSerializer,
    order_item_flat_from_instance,
)
from orders.services.erp import order_item_acknowledge, order_mark_sent
from orders.services.items import order_items_bulk_update
from orders.shapes import orders_i1
from orders.views.items import OrderItemsViewMixin
from orders.views.orders import CANCEL_SCHEMA, PK, OrderViewSetBase

_queue_arguments = page_arguments(lambda view: view.visible_channel_ids(), "status")


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
            response_example(
                "Item field on the order, with Prefer: handling=strict",
                {
                    "status": [
                        "Only is_send can be changed on an order; change item fields through PATCH /api/i1/order_items/{pk}/ or /api/i1/order_items/bulk_status_update/."
                    ]
                },
                400,
            ),
        ],
    ),
    events=extend_schema(
        summary="The order's audit trail, oldest first",
        parameters=[PK],
        responses={200: OrderEventSerializer(many=True)},
    ),
    cancel=CANCEL_SCHEMA,
)
class OrderI1ViewSet(OrderViewSetBase):
    """Orders in the shape ERP connectors read (seed 002), scoped to the caller's channels."""

    serializer_class = OrderI1Serializer
    filterset_class = OrderI1Filter
    # Order detail by number and the ERP queue, the lists ERP connectors call most.
    prepared_pages = {
        frozenset({"number"}): PreparedPage(
            lambda channels, number: order_rows(channel_ids=channels).filter(number=number),
            kinds=("in", "value"),
            arguments=page_arguments(lambda view: view.visible_channel_ids(), "number"),
        ),
        # The ERP queue (``is_send=False``): the ORM writes a boolean test without a parameter.
        frozenset({"is_send", "status"}): PreparedPage(
            lambda channels, status: order_rows(channel_ids=channels).filter(status=status).filter(is_send=False),
            kinds=("in", "value"),
            arguments=lambda view, cleaned: (
                _queue_arguments(view, cleaned) if cleaned.get("is_send") is False else None
            ),
        ),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return order_rows(channel_ids=self.visible_channel_ids())

    def build_results(self, rows):
        return orders_i1(rows, related=orders_i1_related(rows))

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
            response_example("Updated item", ITEM_EXAMPLE, 200),
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
            response_example(
                "One entry refused: nothing applied",
                {
                    "orderitem_set": [
                        {},
                        {"status": ["Cannot move from 550 (delivered) to 200 (waiting); allowed: 544, 600."]},
                    ]
                },
                400,
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
