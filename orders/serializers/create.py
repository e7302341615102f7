"""create_orders (seed 003): the input shape, and the created order's representation.

The input serializers check shape only (types, lengths, ranges, enumerations); ids, currencies,
price agreement and stock are the service's business (``orders.services.create``).
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson
from rest_framework import serializers

from catalog.models import Currency
from channels.models import ShippingCompany
from omnitron.db import BIGINT_MAX, BIGINT_MIN
from omnitron.fields import JSONObjectField, MoneyField, OptionalURLField, RateField, money_str, rate_str
from omnitron.renderers import dumps
from omnitron.schema import ErrorSerializer
from omnitron.serializers import CopiedFieldsMixin, IndexedListSerializer, PresentFieldsValidator
from omnitron.unknown_input import UnknownFieldsMixin
from orders.models import TRACKING_CODE_LENGTH, CancelStatus, ClientType, DeliveryType, Order
from orders.numbers import ORDER_NUMBER_MAX_LENGTH, OrderNumberInvalid, order_number_normalize
from orders.serializers.fields import STATUS_HELP, ClientDateTimeField, DateOrDateTimeField, StatusField
from orders.serializers.items import OrderItemSerializer, order_item_flat_from_instance
from orders.statuses import OrderStatus

if TYPE_CHECKING:
    from orders.services.create import OrderCreated

# Upper bound on unit rows per order: one request cannot write an unbounded number of rows.
MAX_UNITS_PER_ORDER = 1000
MAX_ITEMS_PER_ORDER = MAX_UNITS_PER_ORDER
MAX_QUANTITY = MAX_UNITS_PER_ORDER


def reference_field(**kwargs) -> serializers.IntegerField:
    """The id of a row; whether it exists (and is the channel's) is checked by the service."""
    return serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, **kwargs)


def opaque_field(**kwargs) -> serializers.IntegerField:
    """An opaque reference to another system, stored and returned as given."""
    return serializers.IntegerField(
        min_value=BIGINT_MIN, max_value=BIGINT_MAX, required=False, allow_null=True, **kwargs
    )


def optional_text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_null=True, allow_blank=True, trim_whitespace=False, **kwargs
    )


class CurrencyField(serializers.ChoiceField):
    """A currency code, matched case-insensitively (``"TRY"`` and ``"try"``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Currency.choices, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.strip().lower()
        return super().to_internal_value(data)


def json_object(**kwargs) -> JSONObjectField:
    return JSONObjectField(required=False, **kwargs)


class DeliveryRangeSerializer(CopiedFieldsMixin, serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class OrderNumberField(serializers.CharField):
    """An order number, stored normalized (``orders.numbers``): surrounding whitespace stripped,
    Unicode NFC; empty and control characters refused."""

    def __init__(self, **kwargs):
        super().__init__(max_length=ORDER_NUMBER_MAX_LENGTH, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data) -> str:
        try:
            return order_number_normalize(super().to_internal_value(data))
        except OrderNumberInvalid as exc:
            raise serializers.ValidationError(str(exc), code=exc.code) from None


class CreateOrderOrderSerializer(CopiedFieldsMixin, serializers.Serializer):
    """The ``order`` object of a create_orders request (seed 003's field names)."""

    number = OrderNumberField(
        help_text="Unique in the channel. Surrounding whitespace is removed and the number is stored in "
        "Unicode NFC; empty numbers and control characters are refused."
    )
    channel = reference_field(required=False, help_text="Optional; when sent it must be the channel in the URL.")
    status = StatusField(
        required=False, blank_is_default=True, help_text=STATUS_HELP + ' Defaults to "200" (also for "").'
    )
    date_placed = ClientDateTimeField(
        required=False, help_text="Defaults to now; without an offset, API_NAIVE_DATETIME_TIME_ZONE (UTC) applies."
    )
    customer = reference_field(help_text="A customer of this channel.")
    shipping_address = reference_field(help_text="An address of this channel.")
    billing_address = reference_field(help_text="An address of this channel.")
    currency = CurrencyField()
    amount = MoneyField()
    shipping_amount = MoneyField(required=False)
    shipping_tax_rate = RateField(required=False, allow_null=True)
    shipping_interest_amount = MoneyField(required=False)
    discount_amount = MoneyField(required=False)
    refund_amount = MoneyField(required=False)
    discount_refund_amount = MoneyField(required=False)
    shipping_refund_amount = MoneyField(required=False)
    installment_interest_amount = MoneyField(required=False)
    extra_field = json_object()
    payment_option = reference_field(required=False, allow_null=True)
    payment_option_slug = optional_text(128)
    bin_number = optional_text(16)
    installment = opaque_field()
    installment_count = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    installment_free = serializers.BooleanField(required=False)
    delivery_type = serializers.ChoiceField(choices=DeliveryType.choices, required=False, allow_null=True)
    cargo_company = reference_field(required=False, allow_null=True)
    shipping_company = serializers.ChoiceField(
        choices=ShippingCompany.choices,
        required=False,
        allow_null=True,
        help_text="Defaults to the cargo company's shipping company.",
    )
    cancel_status = serializers.ChoiceField(
        choices=CancelStatus.choices,
        required=False,
        allow_null=True,
        help_text="Defaults to the least settled cancel status among the items.",
    )
    invoice_number = optional_text(128)
    invoice_date = serializers.DateTimeField(required=False, allow_null=True)
    e_archive_url = OptionalURLField()
    is_send = serializers.BooleanField(required=False)
    tracking_number = optional_text(TRACKING_CODE_LENGTH)
    carrier_shipping_code = optional_text(TRACKING_CODE_LENGTH)
    defined_tracking_url = OptionalURLField()
    remote_addr = serializers.IPAddressField(required=False, allow_null=True)
    fundstransfertransaction_set = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=BIGINT_MAX),
        source="funds_transfer_transactions",
        required=False,
        max_length=1000,
    )
    has_gift_box = serializers.BooleanField(required=False)
    gift_box_note = optional_text(500)
    external_status = opaque_field()
    client_type = serializers.ChoiceField(choices=ClientType.choices, required=False)
    language_code = optional_text(16)
    notes = optional_text(2000)
    delivery_range = DeliveryRangeSerializer(required=False, allow_null=True)
    shipping_option_slug = optional_text(128)
    segment = optional_text(128)
    checkout_provider_id = opaque_field()
    cancellation_info = json_object()
    first_refund_strategy = optional_text(64)
    created_date = serializers.DateTimeField(read_only=True, help_text="Ignored on input.")
    modified_date = serializers.DateTimeField(read_only=True, help_text="Ignored on input.")


class CreateOrderItemSerializer(CopiedFieldsMixin, serializers.Serializer):
    """One entry of ``order_item``: ``quantity`` units of a product, each at ``price``."""

    order = serializers.IntegerField(read_only=True, help_text="Ignored on input: the order being created.")
    product = reference_field()
    status = StatusField(
        required=False, blank_is_default=True, help_text=STATUS_HELP + ' Defaults to the order\'s status (also for "").'
    )
    price_currency = CurrencyField(required=False, help_text="Must be the order's currency (the default).")
    price = MoneyField(help_text="The unit price.")
    quantity = serializers.IntegerField(
        min_value=1, max_value=MAX_QUANTITY, required=False, help_text="Units; one item row is created per unit."
    )
    unit_price = MoneyField(required=False, allow_null=True, help_text="When sent, must equal price.")
    total_price = MoneyField(required=False, allow_null=True, help_text="When sent, must equal price × quantity.")
    tax_rate = RateField(required=False)
    tax_amount = MoneyField(required=False, allow_null=True, help_text="Per unit, like price.")
    discount_amount = MoneyField(required=False, help_text="Per unit, like price.")
    retail_price = MoneyField(required=False, allow_null=True)
    installment_interest_amount = MoneyField(required=False, allow_null=True)
    extra_field = json_object()
    price_list = reference_field(
        required=False, allow_null=True, help_text="Defaults to the channel catalog's price list."
    )
    stock_list = reference_field(
        required=False, allow_null=True, help_text="Defaults to the channel catalog's stock list."
    )
    shipping_company = serializers.ChoiceField(choices=ShippingCompany.choices, required=False, allow_null=True)
    defined_shipping_company = serializers.ChoiceField(choices=ShippingCompany.choices, required=False, allow_null=True)
    shipment_code = optional_text(128)
    tracking_number = optional_text(TRACKING_CODE_LENGTH)
    carrier_shipping_code = optional_text(TRACKING_CODE_LENGTH)
    defined_tracking_url = OptionalURLField()
    estimated_delivery_date = DateOrDateTimeField(
        required=False, allow_null=True, help_text="A date; of a datetime, its date as written is stored."
    )
    invoice_number = optional_text(128)
    invoice_date = serializers.DateTimeField(required=False, allow_null=True)
    e_archive_url = OptionalURLField()
    cancel_status = serializers.ChoiceField(choices=CancelStatus.choices, required=False, allow_null=True)
    is_tradable = serializers.BooleanField(required=False)
    forced_refund = serializers.BooleanField(required=False, allow_null=True)
    image = optional_text(500)
    parent = reference_field(required=False, allow_null=True, help_text="An existing order item of this channel.")
    datasource = opaque_field()
    reconciliation = opaque_field()
    cancellation_reconciliation = opaque_field()
    original_stock = opaque_field()
    shipping_option_group = opaque_field()
    external_status = opaque_field()
    attributes = json_object()
    attributes_kwargs = json_object()
    localized_attributes = json_object()
    localized_attributes_kwargs = json_object()

    class Meta:
        list_serializer_class = IndexedListSerializer


class CreateOrderInputSerializer(UnknownFieldsMixin, CopiedFieldsMixin, serializers.Serializer):
    """The create_orders request: ``{"order": {...}, "order_item": [{...}, ...]}``."""

    order = CreateOrderOrderSerializer()
    order_item = CreateOrderItemSerializer(many=True, allow_empty=False, max_length=MAX_ITEMS_PER_ORDER)

    def validate_order_item(self, value: list[dict]) -> list[dict]:
        units = order_units(value)
        if units > MAX_UNITS_PER_ORDER:
            raise serializers.ValidationError(
                {"non_field_errors": [f"An order may have at most {MAX_UNITS_PER_ORDER} units; this one has {units}."]}
            )
        return value


def order_units(items: list[dict]) -> int:
    """The unit rows validated ``order_item`` entries make."""
    return sum(entry.get("quantity", 1) for entry in items)


_ORDER_PRESENT = PresentFieldsValidator(CreateOrderOrderSerializer)
_ITEM_PRESENT = PresentFieldsValidator(CreateOrderItemSerializer)


def create_order_input_validated(data: Any) -> dict[str, Any] | None:
    """``CreateOrderInputSerializer``'s validated data for valid input, or None where the
    serializer must run (a refusal, ignored keys, nested or renamed fields sent): what the view
    tries first, as the serializer would give it (``omnitron.serializers.PresentFieldsValidator``)."""
    if type(data) is not dict or len(data) != 2:
        return None
    order, items = data.get("order"), data.get("order_item")
    if type(items) is not list or not 0 < len(items) <= MAX_ITEMS_PER_ORDER:
        return None
    validated_order = _ORDER_PRESENT(order)
    if validated_order is None:
        return None
    validated_items = []
    for entry in items:
        validated = _ITEM_PRESENT(entry)
        if validated is None:
            return None
        validated_items.append(validated)
    if order_units(validated_items) > MAX_UNITS_PER_ORDER:
        return None
    return {"order": validated_order, "order_item": validated_items}


# --- The created order ------------------------------------------------------------------------

# Response keys in seed 003's order, with the Order attribute each comes from and its formatter.
_ORDER_FIELDS: list[tuple[str, str, Any]] = [
    ("number", "number", None),
    ("channel", "channel_id", None),
    ("status", "status", None),
    ("date_placed", "date_placed", None),
    ("customer", "customer_id", None),
    ("shipping_address", "shipping_address_id", None),
    ("billing_address", "billing_address_id", None),
    ("currency", "currency", None),
    ("amount", "amount", money_str),
    ("shipping_amount", "shipping_amount", money_str),
    ("shipping_tax_rate", "shipping_tax_rate", rate_str),
    ("extra_field", "extra_field", None),
    ("payment_option", "payment_option_id", None),
    ("payment_option_slug", "payment_option_slug", None),
    ("bin_number", "bin_number", None),
    ("installment", "installment", None),
    ("installment_count", "installment_count", None),
    ("delivery_type", "delivery_type", None),
    ("installment_interest_amount", "installment_interest_amount", money_str),
    ("cargo_company", "cargo_company_id", None),
    ("invoice_number", "invoice_number", None),
    ("invoice_date", "invoice_date", None),
    ("e_archive_url", "e_archive_url", None),
    ("refund_amount", "refund_amount", money_str),
    ("discount_refund_amount", "discount_refund_amount", money_str),
    ("shipping_refund_amount", "shipping_refund_amount", money_str),
    ("discount_amount", "discount_amount", money_str),
    ("is_send", "is_send", None),
    ("net_shipping_amount", "net_shipping_amount", money_str),
    ("shipping_interest_amount", "shipping_interest_amount", money_str),
    ("tracking_number", "tracking_number", None),
    ("carrier_shipping_code", "carrier_shipping_code", None),
    ("remote_addr", "remote_addr", None),
    ("fundstransfertransaction_set", "funds_transfer_transactions", None),
    ("has_gift_box", "has_gift_box", None),
    ("gift_box_note", "gift_box_note", None),
    ("external_status", "external_status", None),
    ("client_type", "client_type", None),
    ("language_code", "language_code", None),
    ("notes", "notes", None),
    ("delivery_range", "delivery_range", None),
    ("shipping_option_slug", "shipping_option_slug", None),
    ("segment", "segment", None),
    ("modified_date", "modified_date", None),
    ("checkout_provider_id", "checkout_provider_id", None),
    ("created_date", "created_date", None),
    ("cancellation_info", "cancellation_info", None),
    ("shipping_company", "shipping_company", None),
    ("cancel_status", "cancel_status", None),
    ("defined_tracking_url", "defined_tracking_url", None),
    ("installment_free", "installment_free", None),
    ("first_refund_strategy", "first_refund_strategy", None),
]
ORDER_FLAT_KEYS: tuple[str, ...] = ("pk", *(key for key, _, _ in _ORDER_FIELDS))
ORDER_CREATED_KEYS: tuple[str, ...] = (*ORDER_FLAT_KEYS, "orderitem_set")


def order_representation(order: Order) -> dict[str, Any]:
    """The order as seed 003's response shows it (without ``pk`` and items)."""
    result = {}
    for key, attribute, formatter in _ORDER_FIELDS:
        value = getattr(order, attribute)
        result[key] = formatter(value) if formatter is not None and value is not None else value
    return result


def order_flat(order: Order) -> dict[str, Any]:
    """The flat order of the channel ``orders/`` lookup: ``pk`` and the order's own fields, ids for relations."""
    return {"pk": order.pk, **order_representation(order)}


# The order's columns, for reading rows that ``order_flat`` renders without a model instance each.
ORDER_COLUMNS: tuple[str, ...] = tuple(field.attname for field in Order._meta.concrete_fields)


class OrderRow:
    """An order read as ``values_list(*ORDER_COLUMNS)``, with the attributes ``order_flat`` reads."""

    net_shipping_amount = Order.net_shipping_amount

    def __init__(self, row: tuple):
        self.__dict__.update(zip(ORDER_COLUMNS, row, strict=True))
        self.pk = self.id


def order_created_representation(result: "OrderCreated") -> dict[str, Any]:
    """The 201 body: ``pk``, the order's fields, and ``orderitem_set`` in the flat item shape."""
    return {
        **order_flat(result.order),
        "orderitem_set": [order_item_flat_from_instance(item) for item in result.items],
    }


def order_created_json(result: "OrderCreated") -> dict[str, Any]:
    """The 201 body as the API renders it (dates and decimals as strings), for storing as JSON
    under an Idempotency-Key: a replay answers exactly these bytes."""
    return orjson.loads(dumps(order_created_representation(result)))


def order_dry_run_representation(result: "OrderCreated") -> dict[str, Any]:
    """The dry-run body: the order and items that would be created (no ids), and any oversold units."""
    items = []
    for item in result.items:
        flat = order_item_flat_from_instance(item)
        del flat["pk"], flat["order"]
        items.append(flat)
    return {
        **order_representation(result.order),
        "orderitem_set": items,
        "items_total": money_str(sum((item.price for item in result.items), Decimal("0"))),
        "oversold": result.oversold,
    }


# --- Schema-only serializers (the views build the bodies with the functions above) ------------


class OrderFlatSerializer(serializers.ModelSerializer):
    """An order as seed 003 shows it, plus ``pk``; relations as ids."""

    pk = serializers.IntegerField()
    status = serializers.ChoiceField(choices=OrderStatus.choices, help_text="The status code.")
    amount = MoneyField()
    shipping_amount = MoneyField()
    shipping_tax_rate = RateField(allow_null=True)
    installment_interest_amount = MoneyField()
    refund_amount = MoneyField()
    discount_refund_amount = MoneyField()
    shipping_refund_amount = MoneyField()
    discount_amount = MoneyField()
    net_shipping_amount = MoneyField(help_text="shipping_amount + shipping_interest_amount.")
    shipping_interest_amount = MoneyField()
    fundstransfertransaction_set = serializers.ListField(
        child=serializers.IntegerField(), source="funds_transfer_transactions"
    )
    extra_field = serializers.JSONField()
    cancellation_info = serializers.JSONField()
    delivery_range = DeliveryRangeSerializer(allow_null=True)

    class Meta:
        model = Order
        fields = list(ORDER_FLAT_KEYS)
        read_only_fields = fields


class CreateOrderResponseSerializer(OrderFlatSerializer):
    """201 body of create_orders: the order as in seed 003, plus ``pk`` and ``orderitem_set``."""

    orderitem_set = OrderItemSerializer(many=True)

    class Meta(OrderFlatSerializer.Meta):
        fields = list(ORDER_CREATED_KEYS)
        read_only_fields = fields


class DryRunOrderItemSerializer(OrderItemSerializer):
    class Meta(OrderItemSerializer.Meta):
        fields = [name for name in OrderItemSerializer.Meta.fields if name not in {"pk", "order"}]
        read_only_fields = fields


class OversoldEntrySerializer(serializers.Serializer):
    sku = serializers.CharField()
    stock_list = serializers.IntegerField()
    requested = serializers.IntegerField()
    available = serializers.IntegerField()


class CreateOrderDryRunResponseSerializer(CreateOrderResponseSerializer):
    """200 body of ``?dry_run=true``: what would be created, without ids."""

    orderitem_set = DryRunOrderItemSerializer(many=True)
    items_total = MoneyField(help_text="Sum of the item prices (one per unit).")
    oversold = OversoldEntrySerializer(many=True, help_text="Units beyond available stock (allow_oversell only).")

    class Meta(CreateOrderResponseSerializer.Meta):
        fields = [key for key in ORDER_CREATED_KEYS if key != "pk"] + ["items_total", "oversold"]
        read_only_fields = fields


class NotAcceptableErrorSerializer(ErrorSerializer):
    """406: ``order_number_exists`` carries ``pk``; ``insufficient_stock`` and ``product_inactive`` carry ``items``."""

    code = serializers.ChoiceField(choices=["order_number_exists", "insufficient_stock", "product_inactive"])
    pk = serializers.IntegerField(required=False, help_text="order_number_exists: the existing order's id.")
    items = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="The short or inactive products, by SKU."
    )


class CreateOrderValidationErrorSerializer(serializers.Serializer):
    """400: DRF's nested shape; ``order_item`` is a list indexed like the request (``{}`` for valid items)."""

    order = serializers.DictField(required=False, help_text='Errors by field, e.g. {"customer": ["..."]}.')
    order_item = serializers.JSONField(
        required=False,
        help_text='A list indexed like the request ({} for valid items), or {"non_field_errors": [...]} '
        "when the list itself is refused (empty, not a list).",
    )
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
