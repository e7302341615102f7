"""The channel order-item representations (seed 000): flat, detailed, detailed_integration.

The shapes are declared once in ``orders.shapes`` (columns, builder, schema); this module holds
their documented serializers and the PATCH input serializer.
"""

from operator import attrgetter
from typing import Any

from rest_framework import serializers

from catalog.models import Currency
from channels.models import ShippingCompany
from omnitron.db import BIGINT_MAX, BIGINT_MIN
from omnitron.fields import MoneyField, OptionalURLField, RateField
from omnitron.shape_serializers import shape_serializer
from omnitron.unknown_input import UnknownFieldsMixin
from orders.models import TRACKING_CODE_LENGTH, CancelStatus, OrderItem
from orders.serializers.fields import DateOrDateTimeField, StatusField
from orders.shapes import ORDER_ITEM_DETAILED, ORDER_ITEM_DETAILED_INTEGRATION, ORDER_ITEM_FLAT, OrderNumbers

ORDER_ITEM_FLAT_COLUMNS: tuple[str, ...] = ORDER_ITEM_FLAT.columns
ORDER_ITEM_FLAT_KEYS: tuple[str, ...] = ORDER_ITEM_FLAT.keys
order_item_flat = ORDER_ITEM_FLAT.build
_ATTRIBUTES = [(column, attrgetter(column)) for column in ORDER_ITEM_FLAT_COLUMNS]


def order_item_flat_from_instance(item: OrderItem) -> dict[str, Any]:
    """The flat item dict from a model instance (after a write; reads ``item.order.number``)."""
    row = {column: get(item) for column, get in _ATTRIBUTES}
    return order_item_flat(row, OrderNumbers({item.order_id: item.order.number}))


OrderItemSerializer = shape_serializer(ORDER_ITEM_FLAT)
OrderItemDetailedSerializer = shape_serializer(ORDER_ITEM_DETAILED)
OrderItemDetailedIntegrationSerializer = shape_serializer(ORDER_ITEM_DETAILED_INTEGRATION)


# --- PATCH input ---------------------------------------------------------------------------------


def _opaque_id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=BIGINT_MIN, max_value=BIGINT_MAX, **kwargs
    )


def _text(max_length: int = 128) -> serializers.CharField:
    return serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=max_length)


class OrderItemUpdateSerializer(UnknownFieldsMixin, serializers.Serializer):
    """PATCH body of an order item: every field optional; unknown and read-only fields are ignored.

    ``extra_field`` is merged into the stored one; the attribute dicts are replaced; ``order``,
    ``product``, ``price``, ``price_currency``, ``tax_rate``, ``price_list``, ``stock_list`` (and the
    other read-only values of the item) may be sent but must equal the stored value;
    ``created_date``/``modified_date`` are read-only.
    """

    status = StatusField(required=False)
    cancel_status = serializers.ChoiceField(choices=CancelStatus.choices, required=False, allow_null=True)
    shipping_company = serializers.ChoiceField(choices=ShippingCompany.choices, required=False, allow_null=True)
    shipment_code = _text()
    tracking_number = _text(TRACKING_CODE_LENGTH)
    carrier_shipping_code = _text(TRACKING_CODE_LENGTH)
    invoice_number = _text()
    invoice_date = serializers.DateTimeField(required=False, allow_null=True)
    e_archive_url = OptionalURLField()
    forced_refund = serializers.BooleanField(required=False, allow_null=True)
    estimated_delivery_date = DateOrDateTimeField(required=False, allow_null=True)
    defined_tracking_url = OptionalURLField()
    installment_interest_amount = MoneyField(required=False, allow_null=True)
    datasource = _opaque_id()
    cancellation_reconciliation = _opaque_id()
    reconciliation = _opaque_id()
    original_stock = _opaque_id()
    shipping_option_group = _opaque_id()
    extra_field = serializers.DictField(required=False, help_text="Merged into the stored extra_field.")
    attributes = serializers.DictField(required=False)
    attributes_kwargs = serializers.DictField(required=False)
    localized_attributes = serializers.DictField(required=False)
    localized_attributes_kwargs = serializers.DictField(required=False)
    # Read-only values: accepted only when equal to the stored ones.
    pk = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    order = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    product = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    price = MoneyField(required=False)
    price_currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    tax_rate = RateField(required=False)
    price_list = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX)
    stock_list = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX)
    is_tradable = serializers.BooleanField(required=False)
    retail_price = MoneyField(required=False, allow_null=True)
    discount_amount = MoneyField(required=False)
    tax_amount = MoneyField(required=False, allow_null=True)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX)
    image = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=500)
    external_status = _opaque_id()
    defined_shipping_company = serializers.ChoiceField(choices=ShippingCompany.choices, required=False, allow_null=True)
    created_date = serializers.DateTimeField(read_only=True, help_text="Set by the server; ignored on input.")
    modified_date = serializers.DateTimeField(read_only=True, help_text="Set by the server; ignored on input.")
