"""The channel's cancellation requests (list, create, retrieve, change, reject, the updates feed)
and order shipping infos (create)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from omnitron.schema import response_example
from omnitron.viewsets import ChannelScopedMixin
from orders.filters.cancellation_requests import CancellationRequestFilter
from orders.models import CancellationRequest, OrderShippingInfo
from orders.schema import ERROR_404_EXAMPLE, ErrorSerializer, paginated_example
from orders.selectors.cancellation_requests import cancellation_request_list, cancellation_request_updates
from orders.serializers.cancellation_requests import (
    CancellationRequestCreateInputSerializer,
    CancellationRequestRejectInputSerializer,
    CancellationRequestSerializer,
    CancellationRequestUpdateInputSerializer,
    OrderShippingInfoCreateInputSerializer,
    OrderShippingInfoSerializer,
)
from orders.services.cancellation_requests import (
    cancellation_request_create,
    cancellation_request_reject,
    cancellation_request_update,
)
from orders.services.shipping_infos import order_shipping_info_create

CHANNEL_ID = OpenApiParameter("channel_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The channel's id.")
REQUEST_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The request's id.")
REQUEST_EXAMPLE = {
    "id": 7,
    "pk": 7,
    "order_item": 113,
    "reason": 10,
    "description": "Customer changed their mind",
    "cancellation_type": "cancel",
    "status": "waiting",
    "iban": None,
    "holder_name": None,
    "easy_return": None,
    "quantity": 1,
    "fully_refund_as_loyalty_money": False,
    "remote_id": "MP-CANCEL-4411",
    "uuid": "3f2b8c1e-7d4a-4f6e-9b1c-2a5d8e0f7c31",
    "created_date": "2025-05-22T10:22:41.833000Z",
    "modified_date": "2025-05-22T10:22:41.833000Z",
}
CREATE_BODY_EXAMPLE = {
    "order_item": 113,
    "reason": "10",
    "remote_id": "MP-CANCEL-4411",
    "description": "Customer changed their mind",
    "cancellation_type": "cancel",
}
WRITE_RESPONSES = {
    200: CancellationRequestSerializer,
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
}
FINAL_EXAMPLE = response_example(
    "Request already final", {"status": ["The request is rejected: it no longer changes."]}, 400
)
# PATCH and PUT of a request: the same path, body and answers.
CHANGE_SCHEMA: dict[str, Any] = {
    "parameters": [CHANNEL_ID, REQUEST_ID],
    "request": CancellationRequestUpdateInputSerializer,
    "responses": WRITE_RESPONSES,
}
CHANGE_ERROR_EXAMPLES = [FINAL_EXAMPLE, ERROR_404_EXAMPLE]


@extend_schema_view(
    list=extend_schema(
        summary="List the channel's cancellation requests",
        parameters=[CHANNEL_ID],
        examples=[paginated_example("Cancellation requests", REQUEST_EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary="Get a cancellation request",
        parameters=[CHANNEL_ID, REQUEST_ID],
        examples=[
            response_example("Request", REQUEST_EXAMPLE, 200),
            ERROR_404_EXAMPLE,
        ],
    ),
)
class CancellationRequestViewSet(
    ChannelScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Cancellation and refund requests of the channel's order items; every write answers the
    request as stored."""

    serializer_class = CancellationRequestSerializer
    filterset_class = CancellationRequestFilter
    permission_model = CancellationRequest
    write_permissions = {"reject": ["orders.change_cancellationrequest"]}
    ordering = ["id"]
    ordering_fields = ["id", "created_date", "modified_date"]
    lookup_url_kwarg = "id"
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CancellationRequest.objects.none()
        if self.action == "updates":
            return cancellation_request_updates(channel_id=self.channel_id)
        return cancellation_request_list(channel_id=self.channel_id)

    def _answer(self, request_obj, status_code=status.HTTP_200_OK) -> Response:
        return Response(CancellationRequestSerializer(request_obj).data, status=status_code)

    @extend_schema(
        summary="Create a cancellation request (a remote_id sent again for the same item returns that request)",
        parameters=[CHANNEL_ID],
        request=CancellationRequestCreateInputSerializer,
        responses={201: CancellationRequestSerializer, **WRITE_RESPONSES},
        examples=[
            OpenApiExample("Marketplace cancellation", value=CREATE_BODY_EXAMPLE, request_only=True),
            response_example("Created", REQUEST_EXAMPLE, 201),
            response_example(
                "Item of another channel", {"order_item": ['Invalid pk "113" - object does not exist.']}, 400
            ),
        ],
    )
    def create(self, request, *args, **kwargs):
        serializer = CancellationRequestCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        result = cancellation_request_create(
            channel_id=self.channel_id,
            order_item_id=fields.pop("order_item"),
            reason_id=fields.pop("reason"),
            fields=fields,
        )
        return self._answer(result.request, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        summary="Change some fields of a cancellation request",
        examples=[
            OpenApiExample("Approve", value={"status": "approved"}, request_only=True),
            response_example("Updated", {**REQUEST_EXAMPLE, "status": "approved"}),
            *CHANGE_ERROR_EXAMPLES,
        ],
        **CHANGE_SCHEMA,
    )
    def partial_update(self, request, *args, **kwargs):
        serializer = CancellationRequestUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = cancellation_request_update(
            channel_id=self.channel_id, request_id=int(kwargs["id"]), data=serializer.validated_data
        )
        return self._answer(updated)

    @extend_schema(
        summary="Change a cancellation request (the same body as PATCH; fields left out keep their values)",
        examples=[
            OpenApiExample(
                "Whole object sent back", value={**REQUEST_EXAMPLE, "status": "confirmed"}, request_only=True
            ),
            *CHANGE_ERROR_EXAMPLES,
        ],
        **CHANGE_SCHEMA,
    )
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary="Reject a cancellation request (rejecting a rejected one changes nothing)",
        parameters=[CHANNEL_ID, REQUEST_ID],
        request=CancellationRequestRejectInputSerializer,
        responses=WRITE_RESPONSES,
        examples=[
            response_example("Rejected", {**REQUEST_EXAMPLE, "status": "rejected"}),
            response_example(
                "Completed request", {"status": ["The request is completed: it can no longer be rejected."]}, 400
            ),
            ERROR_404_EXAMPLE,
        ],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, *args, **kwargs):
        CancellationRequestRejectInputSerializer(data=request.data).is_valid(raise_exception=True)
        return self._answer(cancellation_request_reject(channel_id=self.channel_id, request_id=int(kwargs["id"])))

    @extend_schema(
        summary="Requests changed since the channel app last synced them, not in an open batch",
        parameters=[CHANNEL_ID],
        responses={200: CancellationRequestSerializer(many=True), 401: ErrorSerializer, 404: ErrorSerializer},
        examples=[paginated_example("Changed requests", {**REQUEST_EXAMPLE, "status": "approved"})],
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def updates(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CancellationRequestSerializer(page, many=True).data)


class OrderShippingInfoViewSet(ChannelScopedMixin, viewsets.GenericViewSet):
    """Shipping infos of the channel's orders: create only."""

    serializer_class = OrderShippingInfoSerializer
    permission_model = OrderShippingInfo

    def get_queryset(self):
        return OrderShippingInfo.objects.none()

    @extend_schema(
        summary="Record an order's shipping info (shipping company as cargo id, cargo object or code)",
        parameters=[CHANNEL_ID],
        request=OrderShippingInfoCreateInputSerializer,
        responses={201: OrderShippingInfoSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer},
        examples=[
            OpenApiExample(
                "Cargo object read from cargos/{id}/",
                value={
                    "order": 41,
                    "order_number": "MP-1001",
                    "shipping_company": {"pk": 3, "name": "Yurtiçi", "erp_code": "YK", "shipping_company": "yurtici"},
                    "is_send": False,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Shipping-company code",
                value={"order": 41, "order_number": "MP-1001", "shipping_company": "yurtici", "is_send": True},
                request_only=True,
            ),
            response_example(
                "Recorded",
                {
                    "pk": 5,
                    "order": 41,
                    "order_number": "MP-1001",
                    "shipping_company": "yurtici",
                    "cargo_company": 3,
                    "is_send": False,
                    "created_date": "2025-05-22T10:22:41.833000Z",
                    "modified_date": "2025-05-22T10:22:41.833000Z",
                },
                201,
            ),
            response_example("Order of another channel", {"order": ['Invalid pk "41" - object does not exist.']}, 400),
        ],
    )
    def create(self, request, *args, **kwargs):
        serializer = OrderShippingInfoCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        info = order_shipping_info_create(
            channel_id=self.channel_id,
            order_id=data["order"],
            order_number=data.get("order_number"),
            shipping_company=data["shipping_company"],
            is_send=data["is_send"],
        )
        return Response(OrderShippingInfoSerializer(info).data, status=status.HTTP_201_CREATED)
