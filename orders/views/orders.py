"""Orders by resource: the channel order lookup (``/api/v1/channel/{channel_id}/orders/``), the
order-by-number endpoint, and what every order viewset shares (retrieve, cancellation)."""

from abc import abstractmethod

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from channels.selectors import user_channel_ids
from omnitron.errors import ConflictError, NotFoundError
from omnitron.schema import response_example
from omnitron.viewsets import ChannelScopedMixin, RowsListMixin
from orders.filters.orders import ChannelOrderFilter
from orders.models import Order
from orders.schema import ERROR_404_EXAMPLE, paginated_example
from orders.selectors.orders import channel_orders, orders_by_number
from orders.serializers.create import OrderFlatSerializer, order_flat
from orders.serializers.i1 import CancelInputSerializer, CancelOutputSerializer
from orders.services.cancellation import order_cancel
from orders.views.create_orders import SEED_RESPONSE

PK = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The object's id.")
CANCEL_EXAMPLES = [
    OpenApiExample(
        "Cancel two items",
        value={"cancel_items": [113, 114], "reasons": {"113": 1, "114": 1}, "is_cargo_refund": False},
        request_only=True,
    ),
    OpenApiExample("Cancel everything", value={"is_all": True, "reasons": {"113": 2}}, request_only=True),
    response_example("Missing reason", {"reasons": ["A reason is required for items 114."]}, 400),
]


CANCEL_SCHEMA = extend_schema(
    summary="Cancel items or request refunds",
    parameters=[PK],
    request=CancelInputSerializer,
    responses={200: CancelOutputSerializer},
    examples=CANCEL_EXAMPLES,
)


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
            response_example("Order", ORDER_FLAT_EXAMPLE, 200),
            ERROR_404_EXAMPLE,
        ],
    ),
    cancel=CANCEL_SCHEMA,
)
class ChannelOrderViewSet(ChannelScopedMixin, OrderViewSetBase):
    """Orders of one sales channel: the flat lookup (seed 003's order shape) and cancellation."""

    serializer_class = OrderFlatSerializer
    filterset_class = ChannelOrderFilter

    def get_queryset(self):
        return self.channel_rows(channel_orders)

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
            response_example(
                "In several channels",
                {
                    "detail": "Order number WEB-1001 exists in several of your channels.",
                    "code": "order_number_ambiguous",
                    "pks": [7, 19],
                },
                409,
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
