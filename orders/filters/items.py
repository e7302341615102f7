"""Filters of the sales-channel order-item lists (seed 000 plus API.md 4.1)."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from catalog.models import Product
from channels.filters import MappingFilterSet
from omnitron.filters import IdFilter, IdInFilter, add_datetime_range_filters
from orders.models import CancelStatus, Order, OrderItem, PaymentTransaction
from orders.numbers import ORDER_NUMBER_MAX_LENGTH, ORDER_NUMBER_PATTERN, OrderNumberInvalid, order_number_normalize
from orders.statuses import STATUS_ALIASES, UNKNOWN_STATUS_MESSAGE, parse_status


class RepeatedKeyWidget(forms.TextInput):
    """Every value of a repeated query key (``status=a&status=b``), empty ones left out."""

    # Tells the shared filter backend that a repeated key is meant, not a conflict.
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value for value in values if value not in (None, "")]


class StatusFormField(forms.Field):
    """One or more status codes or names (the key repeated), cleaned to a list of codes."""

    widget = RepeatedKeyWidget

    @staticmethod
    def openapi_schema() -> dict:
        return {"type": "array", "items": {"type": "string", "enum": list(STATUS_ALIASES)}}

    def clean(self, value):
        values = value if isinstance(value, list) else [value]
        codes = []
        for text in values:
            if text is None or not str(text).strip():
                continue
            code = parse_status(text)
            if code is None:
                # The value goes in params: django-filter %-formats messages, so a "%" in it would raise.
                raise forms.ValidationError(UNKNOWN_STATUS_MESSAGE, params={"value": str(text)[:50]})
            codes.append(code)
        return codes or None


class StatusListFormField(forms.CharField):
    """Comma-separated status codes or names, cleaned to a list of codes."""

    @staticmethod
    def openapi_schema() -> dict:
        spelling = "(?:" + "|".join(STATUS_ALIASES) + ")"
        return {"type": "string", "pattern": f"^{spelling}(?:,{spelling})*$"}

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        codes = []
        for part in value.split(","):
            code = parse_status(part)
            if code is None:
                raise forms.ValidationError(UNKNOWN_STATUS_MESSAGE, params={"value": part.strip()[:50]})
            codes.append(code)
        return codes


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


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "Status code (`400`) or name (`approved`); repeat the key for any of several "
        "(`status=400&status=450`).",
    }
)
class StatusFilter(django_filters.Filter):
    """``status=400`` (exact) or ``status=400&status=approved`` (any of them)."""

    field_class = StatusFormField

    def filter(self, qs, value):
        if not value:
            return qs
        if len(value) == 1:
            return qs.filter(**{self.field_name: value[0]})
        return qs.filter(**{f"{self.field_name}__in": value})


class StatusInFilter(django_filters.Filter):
    field_class = StatusListFormField

    def filter(self, qs, value):
        return qs if not value else qs.filter(**{f"{self.field_name}__in": value})


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
