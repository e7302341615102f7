"""Admin for orders and everything around them.

Orders and items are changed only through the order services (admin actions and forms that call
them), never by saving the model directly.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from catalog.models import Product
from channels.models import Customer
from omnitron.admin_utils import BigTableAdminMixin, exact_search
from omnitron.errors import ServiceError
from orders.models import (
    CancellationPlan,
    CancellationPlanItem,
    CancellationReason,
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderItem,
    PaymentTransaction,
)
from orders.numbers import order_number_clean
from orders.services.cancellation import order_cancel
from orders.services.erp import order_mark_sent
from orders.services.items import ITEM_WRITABLE_FIELDS, order_item_update
from orders.statuses import transition_error


class ReadOnlyAdminMixin:
    """Viewable in the admin; written only by services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OrderItem
    fk_name = "order"
    fields = [
        "id",
        "product",
        "status",
        "cancel_status",
        "price",
        "discount_amount",
        "tracking_number",
        "modified_date",
    ]
    readonly_fields = fields
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")


class OrderEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OrderEvent
    fields = ["created_date", "event_type", "item", "field", "old_value", "new_value", "actor", "note"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class CancellationPlanInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CancellationPlan
    fields = ["id", "cancellation_type", "status", "is_all", "refund_amount", "created_date"]
    readonly_fields = fields
    show_change_link = True
    extra = 0


class CancelOrdersForm(forms.Form):
    reason = forms.ModelChoiceField(queryset=CancellationReason.objects.filter(is_active=True))


def search_orders(queryset, term: str, *, order_column: str):
    """Exact order number or customer e-mail, resolved to ids first (index-friendly)."""
    term = term.strip()
    return exact_search(
        queryset,
        term,
        related={order_column: Order.objects.filter(number=order_number_clean(term))}
        | ({"customer_id": Customer.objects.filter(email=term)} if order_column == "id" else {}),
    )


@admin.register(Order)
class OrderAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "number", "channel", "status", "customer", "amount", "currency", "is_send", "date_placed"]
    list_filter = ["status", "is_send", "channel", "cancel_status"]
    list_select_related = ["channel", "customer"]
    date_hierarchy = "date_placed"
    search_fields = ["number"]
    search_help_text = "Exact order number or customer e-mail."
    raw_id_fields = ["customer", "shipping_address", "billing_address"]
    inlines = [OrderItemInline, CancellationPlanInline, OrderEventInline]
    actions = ["mark_sent_to_erp", "cancel_orders"]

    def get_search_results(self, request, queryset, search_term):
        return search_orders(queryset, search_term, order_column="id"), False

    def has_change_permission(self, request, obj=None):
        # The change page is read-only (no fields are editable); actions need the real permission.
        return obj is None and request.user.has_perm("orders.change_order")

    @admin.action(description="Mark selected orders sent to the ERP", permissions=["change"])
    def mark_sent_to_erp(self, request, queryset):
        for order in queryset.order_by("pk"):
            order_mark_sent(order=order, is_send=True, actor=request.user)
        self.message_user(request, f"Marked {queryset.count()} order(s) sent to the ERP.")

    @admin.action(description="Cancel selected orders (every item that still can be)", permissions=["change"])
    def cancel_orders(self, request, queryset):
        form = CancelOrdersForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, refused = 0, []
            for order in queryset.order_by("pk"):
                try:
                    order_cancel(
                        order_id=order.pk,
                        channel_ids=None,
                        actor=request.user,
                        is_all=True,
                        default_reason=form.cleaned_data["reason"].pk,
                    )
                    done += 1
                except ServiceError as exc:
                    refused.append(f"{order.number}: {exc.as_dict()}")
            self.message_user(request, f"Cancelled {done} order(s).")
            if refused:
                self.message_user(request, "Refused: " + "; ".join(refused), level=messages.ERROR)
            return None
        return TemplateResponse(
            request,
            "admin/orders/order/cancel_orders.html",
            {**self.admin_site.each_context(request), "title": "Cancel orders", "orders": queryset, "form": form},
        )


ITEM_ADMIN_EDITABLE = list(ITEM_WRITABLE_FIELDS)


class OrderItemAdminForm(forms.ModelForm):
    """Checks status moves against the transition table before the service applies them."""

    class Meta:
        model = OrderItem
        fields = ITEM_ADMIN_EDITABLE

    def clean_status(self):
        status = self.cleaned_data["status"]
        current = OrderItem.objects.values_list("status", "status_before_cancellation").get(pk=self.instance.pk)
        message = transition_error(current[0], status, before_cancellation=current[1])
        if message:
            raise forms.ValidationError(message)
        return status


@admin.register(OrderItem)
class OrderItemAdmin(BigTableAdminMixin, admin.ModelAdmin):
    """Items are edited through ``order_item_update``: transitions, events, stock and the order's status."""

    form = OrderItemAdminForm
    list_display = ["id", "order", "product", "status", "cancel_status", "price", "price_currency", "modified_date"]
    list_filter = ["status", "cancel_status", "channel"]
    list_select_related = ["order", "product"]
    search_fields = ["order__number"]
    search_help_text = "Exact order number or product SKU."
    raw_id_fields = ["order", "product", "parent", "reservation", "price_list", "stock_list"]
    fieldsets = [
        (None, {"fields": ["order", "channel", "product", "status", "cancel_status"]}),
        ("Shipping and invoice", {"fields": ITEM_ADMIN_EDITABLE[2:]}),
        (
            "Price and stock",
            {
                "fields": [
                    "price",
                    "price_currency",
                    "tax_rate",
                    "retail_price",
                    "discount_amount",
                    "price_list",
                    "stock_list",
                    "reservation",
                ]
            },
        ),
        ("Data", {"fields": ["extra_field", "attributes", "created_date", "modified_date"]}),
    ]
    readonly_fields = [
        name for _, options in fieldsets for name in options["fields"] if name not in ITEM_ADMIN_EDITABLE
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        return exact_search(
            queryset,
            term,
            related={
                "order_id": Order.objects.filter(number=order_number_clean(term)),
                "product_id": Product.objects.filter(sku=term),
            },
        ), False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            order_item_update(item_id=obj.pk, data=data, actor=request.user, channel_ids=None)
        except ServiceError as exc:
            self.message_user(request, f"Not saved: {exc.as_dict()}", level=messages.ERROR)


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "created_date", "order", "item", "event_type", "field", "old_value", "new_value", "actor"]
    list_filter = ["event_type"]
    list_select_related = ["order", "actor"]
    search_fields = ["order__number"]
    search_help_text = "Exact order number."
    raw_id_fields = ["order", "item"]

    def get_search_results(self, request, queryset, search_term):
        return search_orders(queryset, search_term, order_column="order_id"), False


@admin.register(CancellationReason)
class CancellationReasonAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "cancellation_type", "is_active", "sort_order"]
    list_filter = ["cancellation_type", "is_active"]
    search_fields = ["name"]


class CancellationPlanItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CancellationPlanItem
    fields = ["order_item", "reason"]
    readonly_fields = fields
    extra = 0


@admin.register(CancellationPlan)
class CancellationPlanAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "order", "cancellation_type", "status", "refund_amount", "created_date"]
    list_filter = ["cancellation_type", "status"]
    list_select_related = ["order"]
    raw_id_fields = ["order"]
    search_fields = ["order__number"]
    search_help_text = "Exact order number."
    inlines = [CancellationPlanItemInline]

    def get_search_results(self, request, queryset, search_term):
        return search_orders(queryset, search_term, order_column="order_id"), False


@admin.register(CancellationPlanItem)
class CancellationPlanItemAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "plan", "order_item", "reason", "created_date"]
    list_select_related = ["plan", "reason"]
    raw_id_fields = ["plan", "order_item"]


@admin.register(PaymentTransaction)
class PaymentTransactionAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "order", "transaction_type", "amount", "currency", "remote_id", "created_date"]
    list_filter = ["transaction_type", "currency"]
    list_select_related = ["order"]
    raw_id_fields = ["order"]
    search_fields = ["remote_id"]
    search_help_text = "Exact remote id or order number."

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        return exact_search(
            queryset,
            term,
            fields=("remote_id",),
            related={"order_id": Order.objects.filter(number=order_number_clean(term))},
        ), False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "key", "user", "channel", "state", "response_status", "created_date", "expires_at"]
    list_filter = ["state", "channel"]
    list_select_related = ["user", "channel"]
    search_fields = ["key"]
    search_help_text = "Exact key."

    def get_search_results(self, request, queryset, search_term):
        return exact_search(queryset, search_term, fields=("key",)), False
