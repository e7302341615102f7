"""Filters of the sales-channel order-item lists (seed 000 plus API.md 4.1)."""

import django_filters
from django import forms

from catalog.models import Product
from channels.filters import MappingFilterSet
from omnitron.filters import IdFilter, IdInFilter, add_datetime_range_filters
from orders.filters.statuses import StatusFilter, StatusInFilter
from orders.models import CancelStatus, Order, OrderItem, PaymentTransaction
from orders.numbers import ORDER_NUMBER_MAX_LENGTH, ORDER_NUMBER_PATTERN, OrderNumberInvalid, order_number_normalize


class OrderNumberFormField(forms.CharField):
    """An order number as stored (``orders.numbers``): stripped, NFC; control characters refused."""

    @staticmethod
    def openapi_schema() -> dict:
        return {"type": "string", "pattern": ORDER_NUMBER_PATTERN, "maxLength": ORDER_NUMBER_MAX_LENGTH}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return order_number_normalize(value)
        except OrderNumberInvalid as exc:
            raise forms.ValidationError("%(message)s", code=exc.code, params={"message": str(exc)}) from None


class OrderNumberFilter(django_filters.CharFilter):
    """Exact order number, normalized like the stored numbers, so ``?number=ABC-1%20`` finds ``ABC-1``."""

    field_class = OrderNumberFormField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", ORDER_NUMBER_MAX_LENGTH)
        super().__init__(*args, **kwargs)


class OrderItemFilter(MappingFilterSet):
    """Every filter of seed 000 plus ``order``, ``cancel_status``, ``order__number``, ``pk__in`` and date ranges.

    Lookups through other tables are written as ``id IN (subquery)`` so the item table's
    (channel, …) indexes drive the plan and no row is repeated.
    """

    transaction_id = IdFilter(method="filter_transaction", label="Items of the order with this payment transaction id")
    order = IdFilter(field_name="order_id", label="The order's id (same as `order_id`)")
    order_id = IdFilter(field_name="order_id")
    order_id__in = IdInFilter(field_name="order_id")
    status = StatusFilter(field_name="status", label="Status code or name")
    status__in = StatusInFilter(field_name="status", label="Comma-separated status codes or names")
    product__sku = django_filters.CharFilter(method="filter_product_sku", max_length=128)
    cancel_status = django_filters.ChoiceFilter(choices=CancelStatus.choices)
    order__number = OrderNumberFilter(method="filter_order_number")
    pk__in = IdInFilter(field_name="id")

    class Meta:
        model = OrderItem
        fields: list[str] = []

    def filter_transaction(self, queryset, name, value):
        return queryset.filter(order_id__in=PaymentTransaction.objects.filter(pk=value).values("order_id"))

    def filter_product_sku(self, queryset, name, value):
        return queryset.filter(product_id__in=Product.objects.filter(sku=value).values("id"))

    def filter_order_number(self, queryset, name, value):
        return queryset.filter(order_id__in=Order.objects.filter(number=value).values("id"))


add_datetime_range_filters(OrderItemFilter, "created_date", "modified_date")
