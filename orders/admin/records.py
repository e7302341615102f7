"""Admins of the order's records: events, cancellation reasons and plans, payments, idempotency keys."""

from django.contrib import admin

from omnitron.admin_utils import BigTableAdminMixin, ReadOnlyAdminMixin, change_link, exact_search
from orders.admin.display import ReadOnlyInline, event_change, report_search
from orders.models import (
    CancellationPlan,
    CancellationPlanItem,
    CancellationReason,
    IdempotencyKey,
    Order,
    OrderEvent,
    PaymentTransaction,
)
from orders.selectors.admin import by_order_search


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "created_date", "order_link", "item", "event_type", "change", "actor"]
    list_filter = ["event_type"]
    list_select_related = ["order", "item", "actor"]
    search_fields = ["order__number"]
    search_help_text = "Order number (or its beginning)."
    raw_id_fields = ["order", "item"]

    def get_search_results(self, request, queryset, search_term):
        return report_search(self, request, by_order_search(queryset, search_term))

    @admin.display(description="order", ordering="order_id")
    def order_link(self, obj: OrderEvent) -> str:
        return change_link(Order, obj.order_id, obj.order.number)

    @admin.display(description="change")
    def change(self, obj: OrderEvent) -> str:
        return event_change(obj)


@admin.register(CancellationReason)
class CancellationReasonAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "cancellation_type", "is_active", "sort_order"]
    list_filter = ["cancellation_type", "is_active"]
    search_fields = ["name"]


class CancellationPlanItemInline(ReadOnlyInline):
    model = CancellationPlanItem
    fields = ["order_item", "reason"]
    readonly_fields = fields
    related_rows = ("order_item", "reason")


@admin.register(CancellationPlan)
class CancellationPlanAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "order", "cancellation_type", "status", "refund_amount", "created_date"]
    list_filter = ["cancellation_type", "status"]
    list_select_related = ["order"]
    raw_id_fields = ["order"]
    search_fields = ["order__number"]
    search_help_text = "Order number (or its beginning)."
    inlines = [CancellationPlanItemInline]

    def get_search_results(self, request, queryset, search_term):
        return report_search(self, request, by_order_search(queryset, search_term))


@admin.register(CancellationPlanItem)
class CancellationPlanItemAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "plan", "order_item", "reason", "created_date"]
    list_select_related = ["plan", "order_item", "reason"]
    raw_id_fields = ["plan", "order_item"]


@admin.register(PaymentTransaction)
class PaymentTransactionAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "order", "transaction_type", "amount", "currency", "remote_id", "created_date"]
    list_filter = ["transaction_type", "currency"]
    list_select_related = ["order"]
    raw_id_fields = ["order"]
    search_fields = ["remote_id"]
    search_help_text = "Exact remote id, or an order number (or its beginning)."

    def get_search_results(self, request, queryset, search_term):
        by_remote_id = PaymentTransaction.objects.filter(remote_id=search_term.strip())
        return report_search(self, request, by_order_search(queryset, search_term, also=by_remote_id))


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "key", "user", "channel", "state", "response_status", "created_date", "expires_at"]
    list_filter = ["state", "channel"]
    list_select_related = ["user", "channel"]
    search_fields = ["key"]
    search_help_text = "Exact key."

    def get_search_results(self, request, queryset, search_term):
        return exact_search(queryset, search_term, fields=("key",)), False
