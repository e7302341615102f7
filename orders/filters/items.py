"""Filters of the sales-channel order-item lists (seed 000 plus API.md 4.1)."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType

from catalog.models import Product
from channels.models import IntegrationMapping, IntegrationType
from omnitron.filters import FilterSet, IdFilter, IdInFilter, add_datetime_range_filters
from orders.models import CancelStatus, Order, OrderItem, PaymentTransaction
from orders.statuses import STATUS_ALIASES, parse_status


class StatusFormField(forms.CharField):
    """A status code or name, cleaned to the code."""

    @staticmethod
    def openapi_schema() -> dict:
        return {"type": "string", "enum": list(STATUS_ALIASES)}

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        code = parse_status(value)
        if code is None:
            # The value goes in params: django-filter %-formats messages, so a "%" in it would raise.
            raise forms.ValidationError(
                'Unknown status "%(value)s"; use a code such as "400" or a name such as "approved".',
                params={"value": value[:50]},
            )
        return code


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
                raise forms.ValidationError('Unknown status "%(value)s".', params={"value": part.strip()[:50]})
            codes.append(code)
        return codes


class StatusFilter(django_filters.CharFilter):
    field_class = StatusFormField


class StatusInFilter(django_filters.Filter):
    field_class = StatusListFormField

    def filter(self, qs, value):
        return qs if not value else qs.filter(**{f"{self.field_name}__in": value})


class OrderItemFilter(FilterSet):
    """Every filter of seed 000 plus ``cancel_status``, ``order__number``, ``pk__in`` and date ranges.

    Lookups through other tables are written as ``id IN (subquery)`` so the item table's
    (channel, …) indexes drive the plan and no row is repeated.
    """

    mapping__integration_type = django_filters.ChoiceFilter(
        choices=IntegrationType.choices, method="filter_mapping", label="Items with a mapping of this integration type"
    )
    mapping__code__exact = django_filters.CharFilter(
        method="filter_mapping", max_length=255, label="Items with a mapping of this code"
    )
    transaction_id = IdFilter(method="filter_transaction", label="Items of the order with this payment transaction id")
    order_id = IdFilter(field_name="order_id")
    order_id__in = IdInFilter(field_name="order_id")
    status = StatusFilter(field_name="status", label="Status code or name")
    status__in = StatusInFilter(field_name="status", label="Comma-separated status codes or names")
    product__sku = django_filters.CharFilter(method="filter_product_sku", max_length=128)
    cancel_status = django_filters.ChoiceFilter(choices=CancelStatus.choices)
    order__number = django_filters.CharFilter(method="filter_order_number", max_length=128)
    pk__in = IdInFilter(field_name="id")

    class Meta:
        model = OrderItem
        fields: list[str] = []

    def filter_mapping(self, queryset, name, value):
        # Both mapping filters describe one mapping; apply them together, once.
        if name == "mapping__code__exact" and self.form.cleaned_data.get("mapping__integration_type"):
            return queryset
        mappings = IntegrationMapping.objects.filter(content_type=ContentType.objects.get_for_model(OrderItem))
        integration_type = self.form.cleaned_data.get("mapping__integration_type")
        code = self.form.cleaned_data.get("mapping__code__exact")
        if integration_type:
            mappings = mappings.filter(integration_type=integration_type)
        if code:
            mappings = mappings.filter(code=code)
        return queryset.filter(id__in=mappings.values("object_id"))

    def filter_transaction(self, queryset, name, value):
        return queryset.filter(order_id__in=PaymentTransaction.objects.filter(pk=value).values("order_id"))

    def filter_product_sku(self, queryset, name, value):
        return queryset.filter(product_id__in=Product.objects.filter(sku=value).values("id"))

    def filter_order_number(self, queryset, name, value):
        return queryset.filter(order_id__in=Order.objects.filter(number=value).values("id"))


add_datetime_range_filters(OrderItemFilter, "created_date", "modified_date")
