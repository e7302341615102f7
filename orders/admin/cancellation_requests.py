"""Admins of cancellation requests and order shipping infos (written by the services only)."""

from django.contrib import admin, messages

from omnitron.admin_utils import BigTableAdminMixin, ReadOnlyAdminMixin, change_link, exact_search
from omnitron.errors import ServiceError
from orders.models import CancellationRequest, Order, OrderShippingInfo
from orders.services.cancellation_requests import cancellation_request_reject


@admin.register(CancellationRequest)
class CancellationRequestAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "order_item",
        "reason",
        "cancellation_type",
        "status",
        "remote_id",
        "created_date",
        "modified_date",
    ]
    list_filter = ["status", "cancellation_type", "channel"]
    list_select_related = ["channel", "order_item", "reason"]
    raw_id_fields = ["channel", "order_item", "reason"]
    search_fields = ["remote_id"]
    search_help_text = "Exact remote id, request id or order item id."
    actions = ["reject"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        numeric = term.isascii() and term.isdigit() and len(term) <= 18
        fields = ("remote_id", "id", "order_item_id") if numeric else ("remote_id",)
        return exact_search(queryset, term, fields=fields), False

    def has_reject_permission(self, request) -> bool:
        return request.user.has_perm("orders.change_cancellationrequest")

    @admin.action(description="Reject the selected requests (through the service)", permissions=["reject"])
    def reject(self, request, queryset):
        rejected = 0
        for cancellation in queryset.order_by("pk").only("pk", "channel_id"):
            try:
                cancellation_request_reject(channel_id=cancellation.channel_id, request_id=cancellation.pk)
                rejected += 1
            except ServiceError as exc:
                self.message_user(request, f"Request {cancellation.pk}: {exc.detail}", messages.ERROR)
        if rejected:
            self.message_user(request, f"{rejected} request(s) rejected.", messages.SUCCESS)


@admin.register(OrderShippingInfo)
class OrderShippingInfoAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "order_link", "shipping_company", "cargo_company", "is_send", "created_date"]
    list_filter = ["shipping_company", "is_send"]
    list_select_related = ["order", "cargo_company"]
    raw_id_fields = ["order", "cargo_company"]
    search_fields = ["order__number"]
    search_help_text = "Exact order number."

    def get_search_results(self, request, queryset, search_term):
        orders = Order.objects.filter(number=search_term.strip())
        return exact_search(queryset, search_term, related={"order_id": orders}), False

    @admin.display(description="order", ordering="order_id")
    def order_link(self, obj: OrderShippingInfo) -> str:
        return change_link(Order, obj.order_id, obj.order.number)
