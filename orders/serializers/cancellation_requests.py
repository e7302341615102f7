"""Cancellation requests and order shipping infos: their representation and the write bodies."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from omnitron.db import BIGINT_MAX
from omnitron.serializers import client_id
from omnitron.unknown_input import UnknownFieldsMixin
from orders.models import CancellationRequest, CancellationRequestStatus, CancellationType, OrderShippingInfo
from orders.services.shipping_infos import SHIPPING_COMPANY_HELP

CANCELLATION_REQUEST_FIELDS = [
    "id",
    "pk",
    "order_item",
    "reason",
    "description",
    "cancellation_type",
    "status",
    "iban",
    "holder_name",
    "easy_return",
    "quantity",
    "fully_refund_as_loyalty_money",
    "remote_id",
    "uuid",
    "created_date",
    "modified_date",
]


@extend_schema_field(
    {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": BIGINT_MAX},
            {"type": "string", "pattern": "^[0-9]{1,19}$"},
        ]
    }
)
class ClientIdField(serializers.Field):
    """A row's id as a client sends it: a whole number or a string of digits (``1`` or ``"1"``).
    Whether the row exists (and belongs to the channel) is the service's to say."""

    default_error_messages = {
        "incorrect_type": "Incorrect type. Expected pk value, received {data_type}.",
        "does_not_exist": 'Invalid pk "{pk_value}" - object does not exist.',
    }

    def to_internal_value(self, data):
        pk = client_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= pk <= BIGINT_MAX:
            self.fail("does_not_exist", pk_value=pk)
        return pk

    def to_representation(self, value):
        return value


class CancellationRequestSerializer(serializers.ModelSerializer):
    """A cancellation request; ``id`` and ``pk`` are the same number (clients read either)."""

    id = serializers.IntegerField(read_only=True)
    pk = serializers.IntegerField(read_only=True)
    order_item = serializers.IntegerField(source="order_item_id", read_only=True, help_text="The order item's id.")
    reason = serializers.IntegerField(source="reason_id", read_only=True, help_text="The cancellation reason's id.")

    class Meta:
        model = CancellationRequest
        fields = CANCELLATION_REQUEST_FIELDS
        read_only_fields = fields


class _CancellationRequestFieldsMixin(serializers.Serializer):
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=2000, help_text='Null is stored as ``""``.'
    )
    iban = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=34)
    holder_name = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=255)
    easy_return = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=BIGINT_MAX, help_text="Opaque reference."
    )
    quantity = serializers.IntegerField(
        required=False, min_value=1, max_value=1, help_text="An order item is one unit, so 1."
    )
    fully_refund_as_loyalty_money = serializers.BooleanField(required=False)
    remote_id = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=255,
        help_text="The marketplace's id of the request; unique in the channel.",
    )

    def validate_description(self, value):
        return "" if value is None else value


class CancellationRequestCreateInputSerializer(
    UnknownFieldsMixin, _CancellationRequestFieldsMixin, serializers.Serializer
):
    """Body of ``POST cancellation_requests/`` (the channel app sends ``order_item``, ``reason``,
    ``remote_id``, ``description`` and ``cancellation_type``)."""

    order_item = ClientIdField(help_text="An order item of this channel.")
    reason = ClientIdField(help_text="An active cancellation reason.")
    cancellation_type = serializers.ChoiceField(choices=CancellationType.choices, default=CancellationType.CANCEL)


class CancellationRequestUpdateInputSerializer(
    UnknownFieldsMixin, _CancellationRequestFieldsMixin, serializers.Serializer
):
    """Body of ``PATCH``/``PUT cancellation_requests/{id}/``: the fields to change. A whole object
    read back may be sent: ``id``, ``pk``, ``order_item`` and ``uuid`` must then equal the stored ones."""

    id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    pk = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    order_item = ClientIdField(required=False, help_text="Cannot change; may be sent back.")
    uuid = serializers.UUIDField(required=False, help_text="Cannot change; may be sent back.")
    reason = ClientIdField(required=False, help_text="An active cancellation reason.")
    cancellation_type = serializers.ChoiceField(choices=CancellationType.choices, required=False)
    status = serializers.ChoiceField(
        choices=CancellationRequestStatus.choices,
        required=False,
        help_text="Any status while the request is open; a rejected or completed request no longer changes.",
    )


class CancellationRequestRejectInputSerializer(UnknownFieldsMixin, serializers.Serializer):
    """Body of ``POST cancellation_requests/{id}/reject/``: empty (``{}``)."""


class OrderShippingInfoSerializer(serializers.ModelSerializer):
    """A shipping info recorded for an order."""

    pk = serializers.IntegerField(read_only=True)
    order = serializers.IntegerField(source="order_id", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True)
    cargo_company = serializers.IntegerField(
        source="cargo_company_id", read_only=True, allow_null=True, help_text="The cargo company's id, when named."
    )

    class Meta:
        model = OrderShippingInfo
        fields = [
            "pk",
            "order",
            "order_number",
            "shipping_company",
            "cargo_company",
            "is_send",
            "created_date",
            "modified_date",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": BIGINT_MAX},
            {"type": "string", "minLength": 1, "maxLength": 128},
            {
                "type": "object",
                "properties": {
                    "pk": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]},
                    "erp_code": {"type": "string", "nullable": True},
                },
                "required": ["pk"],
                "additionalProperties": True,
            },
        ],
        "description": SHIPPING_COMPANY_HELP,
    }
)
class ShippingCompanyInputField(serializers.Field):
    """A cargo company id, a cargo company object or a code: checked by the service."""

    default_error_messages = {"invalid": "Expected a cargo company id, a cargo company object or a code."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str, dict)):
            self.fail("invalid")
        if isinstance(data, str) and not 1 <= len(data) <= 128:
            self.fail("invalid")
        if isinstance(data, dict) and ("pk" not in data or not isinstance(data.get("erp_code"), (str, type(None)))):
            self.fail("invalid")
        return data


class OrderShippingInfoCreateInputSerializer(UnknownFieldsMixin, serializers.Serializer):
    """Body of ``POST order_shipping_infos/`` (the channel app's ``CreateOrderShippingInfo``)."""

    order = ClientIdField(help_text="An order of this channel.")
    order_number = serializers.CharField(
        required=False, allow_null=True, max_length=128, help_text="When sent, it must be the order's number."
    )
    shipping_company = ShippingCompanyInputField()
    is_send = serializers.BooleanField(default=False, help_text="The shipping info was sent to the marketplace.")
