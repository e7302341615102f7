"""The integration (i1) order shape of seed 002 (declared in ``orders.shapes``), and the i1 input serializers."""

from rest_framework import serializers

from omnitron.db import BIGINT_MAX
from omnitron.fields import MoneyField
from omnitron.serializers import IndexedListSerializer
from omnitron.shape_serializers import shape_serializer
from omnitron.unknown_input import UnknownFieldsMixin
from orders.models import OrderEvent
from orders.serializers.items import OrderItemUpdateSerializer
from orders.shapes import ORDER_I1

OrderI1Serializer = shape_serializer(ORDER_I1)


class OrderEventSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", allow_null=True)
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)

    class Meta:
        model = OrderEvent
        fields = ["pk", "created_date", "event_type", "item", "field", "old_value", "new_value", "actor", "note"]


# --- Input ---------------------------------------------------------------------------------------


class OrderSentInputSerializer(UnknownFieldsMixin, serializers.Serializer):
    """PATCH body of an i1 order: only ``is_send``; item fields change through the order-item endpoints."""

    unknown_field_message = (
        "Only is_send can be changed on an order; change item fields through "
        "PATCH /api/i1/order_items/{pk}/ or /api/i1/order_items/bulk_status_update/."
    )

    is_send = serializers.BooleanField()


class BulkItemUpdateEntrySerializer(OrderItemUpdateSerializer):
    id = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)

    class Meta:
        list_serializer_class = IndexedListSerializer


class BulkStatusUpdateSerializer(UnknownFieldsMixin, serializers.Serializer):
    orderitem_set = BulkItemUpdateEntrySerializer(many=True, allow_empty=False, max_length=1000)


class CreateMappingInputSerializer(UnknownFieldsMixin, serializers.Serializer):
    code = serializers.CharField(max_length=255, help_text="The item's code in the ERP.")
    update_stock = serializers.BooleanField(default=False, help_text="Also release the item's stock reservation.")


class IntegrationMappingSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    content_type = serializers.IntegerField()
    object_id = serializers.IntegerField()
    integration_type = serializers.CharField()
    code = serializers.CharField()


class CancelInputSerializer(UnknownFieldsMixin, serializers.Serializer):
    """Body of ``POST .../orders/{pk}/cancel/``; ``context["order_id"]`` is the order in the URL."""

    order = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text="Optional; when sent it must be the order in the URL.",
    )
    is_all = serializers.BooleanField(default=False, help_text="Cancel (or refund) every item that still can be.")
    cancel_items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        required=False,
        default=list,
        max_length=1000,
        help_text="Ids of the items to cancel; not together with is_all.",
    )
    reasons = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, allow_null=True),
        required=False,
        default=dict,
        help_text='A cancellation reason id for every item: {"<item id>": <reason id>}; null takes the '
        "channel's conf cancellation_reason_id, else the first active reason.",
    )
    forced_refund_amount = MoneyField(required=False, allow_null=True, default=None)
    is_cargo_refund = serializers.BooleanField(default=False, help_text="Refund the shipping amount too.")
    refund_invoice_number = serializers.CharField(required=False, allow_null=True, default=None, max_length=128)

    def validate_reasons(self, value):
        parsed = {}
        for key, reason in value.items():
            try:
                item_id = int(key)
            except (TypeError, ValueError):
                raise serializers.ValidationError(f'"{str(key)[:30]}" is not an item id.') from None
            parsed[item_id] = reason
        return parsed

    def validate_order(self, value: int) -> int:
        if value != self.context.get("order_id"):
            raise serializers.ValidationError("Must be the order in the URL.")
        return value

    def validate(self, attrs):
        attrs.pop("order", None)  # checked against the URL; the service takes the URL's
        return attrs


class CancellationPlanItemSerializer(serializers.Serializer):
    order_item = serializers.IntegerField(source="order_item_id")
    reason = serializers.IntegerField(source="reason_id")


class CancellationPlanSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    order = serializers.IntegerField(source="order_id")
    cancellation_type = serializers.CharField()
    status = serializers.CharField()
    is_all = serializers.BooleanField()
    refund_amount = MoneyField()
    forced_refund_amount = MoneyField(allow_null=True)
    is_cargo_refund = serializers.BooleanField()
    refund_invoice_number = serializers.CharField(allow_null=True)
    items = CancellationPlanItemSerializer(many=True, source="items.all")
    created_date = serializers.DateTimeField()


class CancelOutputSerializer(serializers.Serializer):
    cancellation_plans = CancellationPlanSerializer(many=True)
