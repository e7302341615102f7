"""POST /api/v1/channel/{channel_id}/create_orders/ (seed 003)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from omnitron.viewsets import ChannelScopedMixin
from orders.schema import example_load, response_examples
from orders.serializers.create import (
    CreateOrderDryRunResponseSerializer,
    CreateOrderInputSerializer,
    CreateOrderResponseSerializer,
    CreateOrderValidationErrorSerializer,
    ErrorSerializer,
    NotAcceptableErrorSerializer,
    create_order_input_validated,
    order_created_representation,
    order_dry_run_representation,
)
from orders.services.create import IdempotencyRequest, order_create
from orders.services.idempotency import IdempotencyReplay, idempotency_request_hash

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off", ""}

CREATE_ORDERS_EXAMPLES = [
    OpenApiExample("Seed 003 request", value=example_load("seed_003_create_orders_request"), request_only=True),
    *response_examples("create_orders_responses"),
]
# The 201 example's body (``views.i1`` shows the same order in the channel orders/ lookup).
SEED_RESPONSE = next(example.value for example in CREATE_ORDERS_EXAMPLES if example.name == "Created")


class CreateOrdersView(ChannelScopedMixin, GenericAPIView):
    """Create an order with its items in one transaction, reserving stock for every unit."""

    serializer_class = CreateOrderInputSerializer
    write_permissions = {"POST": ["orders.add_order"]}
    write_throttle_scope = "create_orders"
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        operation_id="channel_create_orders",
        summary="Create an order (seed 003)",
        description=(
            "Creates the order, one item row per unit (`quantity` N gives N rows at `price` each), "
            "a stock reservation per unit and the `created` event, all in one transaction. "
            "`status` defaults to 200, `date_placed` to now, an item's `status` to the order's and "
            "`price_list`/`stock_list` to the channel catalog's. Items created in a final status (100, 547, 600) "
            "or delivered (550) reserve no stock and need none. Every id must be one the channel may "
            "read: its customers and addresses, the price and stock lists it uses, its order items as "
            "`parent`, active cargo companies and payment options; anything else is 400 on that field, "
            "as if it did not exist. The addresses must be the customer's own unless the channel's `conf` "
            'has `"allow_addresses_of_other_customers": true`. `number` is stored without surrounding '
            "whitespace and in Unicode NFC (every lookup by number does the same); an empty number or "
            "one with control characters is 400. With `Idempotency-Key`, a retry with the same "
            "body replays the first 201 (`Idempotent-Replayed: true`); a refused request stores nothing, "
            "so retrying it runs again. `?dry_run=true` checks everything, stock included, and "
            "answers 200 with what would be created, writing nothing."
        ),
        request=CreateOrderInputSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Client-chosen key (1–255 printable ASCII characters), kept 24 h per user and channel.",
            ),
            OpenApiParameter(
                "dry_run",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description="Validate and check stock only; nothing is written (200).",
            ),
        ],
        responses={
            201: CreateOrderResponseSerializer,
            200: OpenApiResponse(
                CreateOrderDryRunResponseSerializer, description="dry_run=true: what would be created."
            ),
            400: CreateOrderValidationErrorSerializer,
            404: ErrorSerializer,
            406: NotAcceptableErrorSerializer,
            409: ErrorSerializer,
            422: ErrorSerializer,
        },
        examples=CREATE_ORDERS_EXAMPLES,
    )
    def post(self, request, channel_id: int):
        validated = create_order_input_validated(request.data)
        if validated is None:
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            validated = serializer.validated_data
        dry_run = self.dry_run_requested(request)
        key = request.headers.get(IDEMPOTENCY_HEADER)
        result = order_create(
            channel_id=self.channel_id,
            actor=request.user,
            order_data=validated["order"],
            items_data=validated["order_item"],
            idempotency=None if key is None else IdempotencyRequest(key, idempotency_request_hash(request.data)),
            dry_run=dry_run,
        )
        if isinstance(result, IdempotencyReplay):
            return Response(result.body, status=result.status, headers={REPLAYED_HEADER: "true"})
        if result.dry_run:
            return Response(order_dry_run_representation(result), status=status.HTTP_200_OK)
        body = result.stored_body if result.stored_body is not None else order_created_representation(result)
        return Response(body, status=status.HTTP_201_CREATED)

    @staticmethod
    def dry_run_requested(request) -> bool:
        raw = request.query_params.get("dry_run")
        if raw is None:
            return False
        value = raw.strip().lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise ValidationError({"dry_run": ["Must be true or false."]})
