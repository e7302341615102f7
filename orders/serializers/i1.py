"""The integration (i1) order shape of seed 002, its fast builder, and the i1 input serializers."""

from typing import Any

from rest_framework import serializers

from channels.models import ShippingCompany
from channels.serializers import public_conf
from omnitron.db import BIGINT_MAX
from omnitron.fields import MoneyField, RateField, money_str, rate_str
from omnitron.serializers import IndexedListSerializer
from omnitron.unknown_input import UnknownFieldsMixin
from orders.models import CancelStatus, OrderEvent
from orders.selectors.i1 import addresses_by_id, channels_by_id, customers_by_id, items_by_order
from orders.serializers.fields import StatusField
from orders.serializers.items import OrderItemUpdateSerializer


def _address(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "email": row["email"],
        "phone_number": row["phone_number"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "country": {"name": row["country__name"], "code": row["country__code"]},
        "city": {"id": row["city_id"], "name": row["city__name"]},
        "line": row["line"],
        "title": row["title"],
        "township": {"id": row["township_id"], "name": row["township__name"]} if row["township_id"] else None,
        "district": {"id": row["district_id"], "name": row["district__name"]} if row["district_id"] else None,
        "postcode": row["postcode"],
        "notes": row["notes"],
        "company_name": row["company_name"],
        "tax_office": row["tax_office"],
        "tax_no": row["tax_no"],
        "e_bill_taxpayer": row["e_bill_taxpayer"],
        "identity_number": row["identity_number"],
        "extra_field": row["extra_field"],
    }


def _item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "order": row["order_id"],
        "product_sku": row["product__sku"],
        "status": row["status"],
        "price_currency": row["price_currency"],
        "price": money_str(row["price"]),
        "tax_rate": rate_str(row["tax_rate"]),
        "extra_field": row["extra_field"],
        "price_list": row["price_list_id"],
        "stock_list": row["stock_list_id"],
        "cancel_status": row["cancel_status"],
        "invoice_number": row["invoice_number"],
        "invoice_date": row["invoice_date"],
        "e_archive_url": row["e_archive_url"],
        "installment_interest_amount": money_str(row["installment_interest_amount"]),
        "tracking_number": row["tracking_number"],
        "carrier_shipping_code": row["carrier_shipping_code"],
        "shipping_company": row["shipping_company"],
        "shipment_code": row["shipment_code"],
        "external_status": row["external_status"],
        "discount_amount": money_str(row["discount_amount"]),
        "retail_price": money_str(row["retail_price"]),
        "attributes": row["attributes"],
        "attributes_kwargs": row["attributes_kwargs"],
        "image": row["image"] or None,
    }


def orders_i1(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """i1 order dicts for a page of ``ORDER_I1_COLUMNS`` rows (four grouped queries)."""
    if not rows:
        return []
    customers = customers_by_id({row["customer_id"] for row in rows})
    addresses = addresses_by_id({row[key] for row in rows for key in ("shipping_address_id", "billing_address_id")})
    items = items_by_order({row["id"] for row in rows})
    channels = channels_by_id({row["channel_id"] for row in rows})
    results = []
    for row in rows:
        channel = channels[row["channel_id"]]
        results.append(
            {
                "id": row["id"],
                "number": row["number"],
                "status": row["status"],
                "date_placed": row["date_placed"],
                "customer": customers[row["customer_id"]],
                "shipping_address": _address(addresses.get(row["shipping_address_id"])),
                "billing_address": _address(addresses.get(row["billing_address_id"])),
                "currency": row["currency"],
                "amount": money_str(row["amount"]),
                "shipping_amount": money_str(row["shipping_amount"]),
                "shipping_tax_rate": rate_str(row["shipping_tax_rate"]),
                "extra_field": row["extra_field"],
                "payment_option": row["payment_option_id"],
                "payment_option_slug": row["payment_option_slug"],
                "bin_number": row["bin_number"],
                "installment": row["installment"],
                "installment_count": row["installment_count"],
                "installment_interest_amount": money_str(row["installment_interest_amount"]),
                "cargo_company": row["cargo_company_id"],
                "invoice_number": row["invoice_number"],
                "invoice_date": row["invoice_date"],
                "e_archive_url": row["e_archive_url"],
                "refund_amount": money_str(row["refund_amount"]),
                "discount_refund_amount": money_str(row["discount_refund_amount"]),
                "shipping_refund_amount": money_str(row["shipping_refund_amount"]),
                "discount_amount": money_str(row["discount_amount"]),
                "is_send": row["is_send"],
                "net_shipping_amount": money_str(row["shipping_amount"] + row["shipping_interest_amount"]),
                "shipping_interest_amount": money_str(row["shipping_interest_amount"]),
                "tracking_number": row["tracking_number"],
                "carrier_shipping_code": row["carrier_shipping_code"],
                "remote_addr": row["remote_addr"],
                "has_gift_box": row["has_gift_box"],
                "gift_box_note": row["gift_box_note"],
                "external_status": row["external_status"],
                "orderitem_set": [_item(item) for item in items.get(row["id"], [])],
                "channel": {"name": channel["name"], "conf": public_conf(channel["conf"])},
            }
        )
    return results


# --- Schema serializers (the builder above produces exactly these keys) -------------------------


class CustomerI1Serializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    phone_number = serializers.CharField(allow_null=True)


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CountryRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()


class AddressI1Serializer(serializers.Serializer):
    email = serializers.EmailField(allow_null=True)
    phone_number = serializers.CharField(allow_null=True)
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    country = CountryRefSerializer()
    city = NamedRefSerializer()
    line = serializers.CharField()
    title = serializers.CharField()
    township = NamedRefSerializer(allow_null=True)
    district = NamedRefSerializer(allow_null=True)
    postcode = serializers.CharField(allow_null=True)
    notes = serializers.CharField(allow_null=True)
    company_name = serializers.CharField(allow_null=True)
    tax_office = serializers.CharField(allow_null=True)
    tax_no = serializers.CharField(allow_null=True)
    e_bill_taxpayer = serializers.BooleanField()
    identity_number = serializers.CharField(allow_null=True)
    extra_field = serializers.JSONField()


class OrderItemI1Serializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    product_sku = serializers.CharField()
    status = StatusField()
    price_currency = serializers.CharField()
    price = MoneyField()
    tax_rate = RateField()
    extra_field = serializers.JSONField()
    price_list = serializers.IntegerField(allow_null=True)
    stock_list = serializers.IntegerField(allow_null=True)
    cancel_status = serializers.ChoiceField(choices=CancelStatus.choices, allow_null=True)
    invoice_number = serializers.CharField(allow_null=True)
    invoice_date = serializers.DateTimeField(allow_null=True)
    e_archive_url = serializers.CharField(allow_null=True)
    installment_interest_amount = MoneyField(allow_null=True)
    tracking_number = serializers.CharField(allow_null=True)
    carrier_shipping_code = serializers.CharField(allow_null=True)
    shipping_company = serializers.ChoiceField(choices=ShippingCompany.choices, allow_null=True)
    shipment_code = serializers.CharField(allow_null=True)
    external_status = serializers.IntegerField(allow_null=True)
    discount_amount = MoneyField()
    retail_price = MoneyField(allow_null=True)
    attributes = serializers.JSONField()
    attributes_kwargs = serializers.JSONField()
    image = serializers.CharField(allow_null=True)


class ChannelI1Serializer(serializers.Serializer):
    name = serializers.CharField()
    conf = serializers.JSONField(
        help_text="Channel settings; keys containing password/secret/token/key are never shown."
    )


class OrderI1Serializer(serializers.Serializer):
    """An order as the integration (ERP) endpoints show it (seed 002)."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    status = StatusField()
    date_placed = serializers.DateTimeField()
    customer = CustomerI1Serializer()
    shipping_address = AddressI1Serializer()
    billing_address = AddressI1Serializer()
    currency = serializers.CharField()
    amount = MoneyField()
    shipping_amount = MoneyField()
    shipping_tax_rate = RateField(allow_null=True)
    extra_field = serializers.JSONField()
    payment_option = serializers.IntegerField(allow_null=True)
    payment_option_slug = serializers.CharField(allow_null=True)
    bin_number = serializers.CharField(allow_null=True)
    installment = serializers.IntegerField(allow_null=True)
    installment_count = serializers.IntegerField()
    installment_interest_amount = MoneyField()
    cargo_company = serializers.IntegerField(allow_null=True)
    invoice_number = serializers.CharField(allow_null=True)
    invoice_date = serializers.DateTimeField(allow_null=True)
    e_archive_url = serializers.CharField(allow_null=True)
    refund_amount = MoneyField()
    discount_refund_amount = MoneyField()
    shipping_refund_amount = MoneyField()
    discount_amount = MoneyField()
    is_send = serializers.BooleanField()
    net_shipping_amount = MoneyField(help_text="shipping_amount + shipping_interest_amount")
    shipping_interest_amount = MoneyField()
    tracking_number = serializers.CharField(allow_null=True)
    carrier_shipping_code = serializers.CharField(allow_null=True)
    remote_addr = serializers.IPAddressField(allow_null=True)
    has_gift_box = serializers.BooleanField()
    gift_box_note = serializers.CharField(allow_null=True)
    external_status = serializers.IntegerField(allow_null=True)
    orderitem_set = OrderItemI1Serializer(many=True)
    channel = ChannelI1Serializer()


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
