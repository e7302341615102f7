"""POST /api/v1/channel/{channel_id}/create_orders/ (seed 003)."""

import orjson
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from omnitron.renderers import dumps
from omnitron.viewsets import ChannelScopedMixin
from orders.serializers.create import (
    CreateOrderDryRunResponseSerializer,
    CreateOrderInputSerializer,
    CreateOrderResponseSerializer,
    CreateOrderValidationErrorSerializer,
    ErrorSerializer,
    NotAcceptableErrorSerializer,
    order_created_representation,
    order_dry_run_representation,
)
from orders.services.create import OrderCreated, order_create, order_create_idempotent
from orders.services.idempotency import idempotency_request_hash

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off", ""}

SEED_REQUEST = {
    "order": {
        "number": "1234567890",
        "channel": 1,
        "status": "cancellation_waiting",
        "date_placed": "2025-01-01T00:00:00Z",
        "customer": 1,
        "shipping_address": 1,
        "billing_address": 1,
        "currency": "try",
        "amount": 100,
        "shipping_amount": 10,
        "shipping_tax_rate": 10,
        "extra_field": {"id": 1, "name": "test"},
        "payment_option": 1,
        "payment_option_slug": "credit_card",
        "bin_number": "123456",
        "installment": 1,
        "installment_count": 1,
        "delivery_type": "same_day",
        "installment_interest_amount": 10,
        "cargo_company": 1,
        "invoice_number": "1234567890",
        "invoice_date": "2025-01-01T00:00:00Z",
        "e_archive_url": "https://e-archive.com/1234567890",
        "refund_amount": 10,
        "discount_refund_amount": 10,
        "shipping_refund_amount": 10,
        "discount_amount": 10,
        "is_send": False,
        "shipping_interest_amount": 10,
        "tracking_number": "1234567890",
        "carrier_shipping_code": "1234567890",
        "remote_addr": "0.0.0.127",
        "fundstransfertransaction_set": [1],
        "has_gift_box": True,
        "gift_box_note": "text",
        "external_status": 1,
        "client_type": "default",
        "language_code": "text",
        "notes": "text",
        "delivery_range": {"start": "2025-05-22T09:53:23.297Z", "end": "2025-05-22T09:53:23.297Z"},
        "shipping_option_slug": "text",
        "segment": "text",
        "modified_date": "2025-05-22T09:53:23.297Z",
        "checkout_provider_id": 1,
        "created_date": "2025-05-22T09:53:23.297Z",
        "cancellation_info": {},
        "defined_tracking_url": "https://tracking.com/1234567890",
    },
    "order_item": [
        {
            "order": 1,
            "product": 1,
            "status": "waiting",
            "price_currency": "try",
            "price": 100,
            "quantity": 1,
            "unit_price": 100,
            "total_price": 100,
            "tax_rate": 10,
            "tax_amount": 10,
            "extra_field": {"id": 1, "name": "test"},
            "price_list": 1,
            "stock_list": 1,
            "shipping_company": "ups",
            "shipment_code": "1234567890",
            "attributes": {},
            "cancel_status": "waiting",
            "installment_interest_amount": 10,
            "is_tradable": False,
            "datasource": 1,
            "localized_attributes": {},
            "localized_attributes_kwargs": {},
            "cancellation_reconciliation": 1,
            "reconciliation": 1,
            "forced_refund": False,
            "original_stock": 1,
            "shipping_option_group": 1,
            "discount_amount": 10,
            "retail_price": 100,
            "image": "binary",
            "parent": 1,
            "estimated_delivery_date": "2025-01-01",
            "defined_tracking_url": "https://tracking.com/1234567890",
            "defined_shipping_company": "ups",
        }
    ],
}

_ITEM_EXAMPLE = {
    "pk": 3101,
    "order": 1001,
    "product": 1,
    "price_list": 1,
    "stock_list": 1,
    "status": "200",
    "price_currency": "try",
    "price": "100.00",
    "tax_rate": "10.00",
    "shipping_company": "ups",
    "shipment_code": "1234567890",
    "cancel_status": "waiting",
    "is_tradable": False,
    "installment_interest_amount": "10.00",
    "datasource": 1,
    "cancellation_reconciliation": 1,
    "reconciliation": 1,
    "forced_refund": False,
    "original_stock": 1,
    "shipping_option_group": 1,
    "extra_field": {"id": 1, "name": "test"},
    "created_date": "2025-05-22T09:53:24.104212Z",
    "modified_date": "2025-05-22T09:53:24.104212Z",
    "attributes": {},
    "attributes_kwargs": {},
    "localized_attributes": {},
    "localized_attributes_kwargs": {},
    "retail_price": "100.00",
    "discount_amount": "10.00",
    "tax_amount": "10.00",
    "tracking_number": None,
    "carrier_shipping_code": None,
    "invoice_number": None,
    "invoice_date": None,
    "e_archive_url": None,
    "parent": 1,
    "estimated_delivery_date": "2025-01-01",
    "defined_tracking_url": "https://tracking.com/1234567890",
    "defined_shipping_company": "ups",
    "image": "binary",
    "external_status": None,
}

SEED_RESPONSE = {
    "pk": 1001,
    **{key: value for key, value in SEED_REQUEST["order"].items() if key not in {"created_date", "modified_date"}},
    "status": "50",
    "amount": "100.00",
    "shipping_amount": "10.00",
    "shipping_tax_rate": "10.00",
    "installment_interest_amount": "10.00",
    "refund_amount": "10.00",
    "discount_refund_amount": "10.00",
    "shipping_refund_amount": "10.00",
    "discount_amount": "10.00",
    "net_shipping_amount": "20.00",
    "shipping_interest_amount": "10.00",
    "delivery_range": {"start": "2025-05-22T09:53:23.297000Z", "end": "2025-05-22T09:53:23.297000Z"},
    "created_date": "2025-05-22T09:53:24.104212Z",
    "modified_date": "2025-05-22T09:53:24.104212Z",
    "shipping_company": "yurtici",
    "cancel_status": "waiting",
    "installment_free": False,
    "first_refund_strategy": None,
    "orderitem_set": [_ITEM_EXAMPLE],
}

CREATE_ORDERS_EXAMPLES = [
    OpenApiExample("Seed 003 request", value=SEED_REQUEST, request_only=True),
    OpenApiExample("Created", value=SEED_RESPONSE, response_only=True, status_codes=["201"]),
    OpenApiExample(
        "Invalid input",
        value={
            "order": {"customer": ['Invalid pk "77" - object does not exist.']},
            "order_item": [{}, {"price": ["A valid number is required."]}],
        },
        response_only=True,
        status_codes=["400"],
    ),
    OpenApiExample(
        "Another customer's address, another channel's stock list",
        value={
            "order": {
                "billing_address": [
                    "Address 12 belongs to customer 3, not to the order's customer 7; the channel allows "
                    'that only with "allow_addresses_of_other_customers": true in its conf.'
                ]
            },
            "order_item": [{"stock_list": ['Invalid pk "4" - object does not exist.']}],
        },
        response_only=True,
        status_codes=["400"],
    ),
    OpenApiExample(
        "Unknown or foreign channel",
        value={"detail": "Not found.", "code": "not_found"},
        response_only=True,
        status_codes=["404"],
    ),
    OpenApiExample(
        "Order number exists",
        value={
            "detail": "An order with number '1234567890' already exists in this channel.",
            "code": "order_number_exists",
            "pk": 1001,
        },
        response_only=True,
        status_codes=["406"],
    ),
    OpenApiExample(
        "Insufficient stock",
        value={
            "detail": "Insufficient stock for: SKU00001.",
            "code": "insufficient_stock",
            "items": [{"sku": "SKU00001", "stock_list": 1, "requested": 3, "available": 1}],
        },
        response_only=True,
        status_codes=["406"],
    ),
    OpenApiExample(
        "Inactive product",
        value={
            "detail": "Inactive product(s) cannot be ordered: SKU00002.",
            "code": "product_inactive",
            "items": [{"product": 2, "sku": "SKU00002"}],
        },
        response_only=True,
        status_codes=["406"],
    ),
    OpenApiExample(
        "Same key still in flight",
        value={
            "detail": "A request with this Idempotency-Key is still being processed; retry shortly.",
            "code": "idempotency_key_in_flight",
        },
        response_only=True,
        status_codes=["409"],
    ),
    OpenApiExample(
        "Same key, different body",
        value={
            "detail": "This Idempotency-Key was used with a different request body; "
            "send a new key for a different request.",
            "code": "idempotency_key_reused",
        },
        response_only=True,
        status_codes=["422"],
    ),
]


def json_ready(body: dict) -> dict:
    """``body`` as the API renders it (dates and decimals as strings), for storing as JSON."""
    return orjson.loads(dumps(body))


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
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dry_run = self.dry_run_requested(request)
        order_data = serializer.validated_data["order"]
        items_data = serializer.validated_data["order_item"]

        if dry_run:
            result = order_create(
                channel_id=self.channel_id,
                actor=request.user,
                order_data=order_data,
                items_data=items_data,
                dry_run=True,
            )
            return Response(order_dry_run_representation(result), status=status.HTTP_200_OK)

        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            result = order_create(
                channel_id=self.channel_id, actor=request.user, order_data=order_data, items_data=items_data
            )
            return Response(order_created_representation(result), status=status.HTTP_201_CREATED)

        def respond(result: OrderCreated) -> tuple[int, dict]:
            return status.HTTP_201_CREATED, json_ready(order_created_representation(result))

        outcome = order_create_idempotent(
            channel_id=self.channel_id,
            actor=request.user,
            key=key,
            request_hash=idempotency_request_hash(request.data),
            order_data=order_data,
            items_data=items_data,
            respond=respond,
        )
        headers = {REPLAYED_HEADER: "true"} if outcome.replayed else {}
        return Response(outcome.body, status=outcome.status, headers=headers)

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
