"""The order admin: the page an operator works from, its buttons and the bulk actions.

The order page leads with what an operator looks for, then the items, then the event timeline;
the rest is folded away. Object buttons come from django-object-actions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_object_actions import DjangoObjectActions
from django_object_actions import action as object_action

from omnitron.admin_utils import BigTableAdminMixin, ReadOnlyAdminMixin, change_link
from omnitron.errors import ServiceError
from orders.admin.display import (
    ReadOnlyInline,
    event_change,
    numeric_pk_only,
    report_search,
    service_error_text,
    status_name,
)
from orders.models import CancellationPlan, CancellationReason, Order, OrderEvent, OrderItem
from orders.selectors.admin import order_items_cancellable, order_search
from orders.services.cancellation import order_cancel
from orders.services.erp import order_mark_sent


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fk_name = "order"
    verbose_name_plural = "items"
    fields = [
        "item",
        "product",
        "item_status",
        "cancel_status",
        "price",
        "discount_amount",
        "tracking_number",
        "modified_date",
    ]
    readonly_fields = fields
    related_rows = ("product",)

    @admin.display(description="item")
    def item(self, obj: OrderItem) -> str:
        return change_link(OrderItem, obj.pk, f"Item {obj.pk}")

    @admin.display(description="status")
    def item_status(self, obj: OrderItem) -> str:
        return status_name(obj.status)


class OrderEventInline(ReadOnlyInline):
    """The order's audit trail, oldest first."""

    model = OrderEvent
    verbose_name_plural = "event timeline"
    fields = ["created_date", "event", "item_link", "change", "actor", "note"]
    readonly_fields = fields
    related_rows = ("actor",)

    @admin.display(description="event")
    def event(self, obj: OrderEvent) -> str:
        return obj.get_event_type_display()

    @admin.display(description="item")
    def item_link(self, obj: OrderEvent) -> str:
        return change_link(OrderItem, obj.item_id, f"Item {obj.item_id}") if obj.item_id else "order"

    @admin.display(description="change")
    def change(self, obj: OrderEvent) -> str:
        return event_change(obj)


class CancellationPlanInline(ReadOnlyInline):
    model = CancellationPlan
    fields = ["plan", "cancellation_type", "status", "is_all", "refund_amount", "created_date"]
    readonly_fields = fields
    classes = ["collapse"]

    @admin.display(description="plan")
    def plan(self, obj: CancellationPlan) -> str:
        return change_link(CancellationPlan, obj.pk, f"Plan {obj.pk}")


class CancelOrdersForm(forms.Form):
    reason = forms.ModelChoiceField(queryset=CancellationReason.objects.filter(is_active=True))


class CancelItemsForm(forms.Form):
    """The order page's cancel button: which items, and why."""

    items = forms.ModelMultipleChoiceField(
        queryset=OrderItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Items below Shipped (500) are cancelled at once and their stock released; "
        "shipped items become refund requests.",
    )
    reason = forms.ModelChoiceField(queryset=CancellationReason.objects.filter(is_active=True))

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = order_items_cancellable(order_id=order.pk)
        self.fields["items"].label_from_instance = lambda item: (
            f"Item {item.pk}: {item.product.sku} {item.product.name}, {status_name(item.status)}"
            + (" (refund request)" if int(item.status) >= 500 else "")
        )


class SentToErpFilter(admin.BooleanFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "sent to ERP"


ORDER_SUMMARY_FIELDS = [
    "number",
    "status_name",
    "channel",
    "customer",
    "total",
    "sent_to_erp",
    "date_placed",
    "created_date",
    "modified_date",
]


@admin.register(Order)
class OrderAdmin(DjangoObjectActions, ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    change_form_template = "admin/orders/order/change_form.html"
    list_display = ["number", "channel", "status_name", "customer", "total", "sent_to_erp", "date_placed"]
    # No date_hierarchy: its MIN/MAX and DISTINCT over the searched rows cost seconds at 1M orders.
    list_filter = [
        "status",
        ("is_send", SentToErpFilter),
        "channel",
        "cancel_status",
        ("date_placed", admin.DateFieldListFilter),
    ]
    list_select_related = ["channel", "customer"]
    search_fields = ["number"]
    search_help_text = "Order number (or its beginning, e.g. DEMO-1), or the beginning of a customer's e-mail or name."
    inlines = [OrderItemInline, OrderEventInline, CancellationPlanInline]
    actions = ["mark_sent_to_erp", "cancel_orders"]
    change_actions = ["mark_sent", "cancel"]
    # The first fieldset leads the page; the change form template shows the folded ones after the
    # items and the event timeline.
    fieldsets = [
        (None, {"fields": ORDER_SUMMARY_FIELDS}),
        (
            "Amounts",
            {
                "classes": ["collapse"],
                "fields": [
                    "currency",
                    "amount",
                    "shipping_amount",
                    "shipping_tax_rate",
                    "shipping_interest_amount",
                    "discount_amount",
                    "installment_interest_amount",
                ],
            },
        ),
        (
            "Addresses and delivery",
            {
                "classes": ["collapse"],
                "fields": [
                    "shipping_address",
                    "billing_address",
                    "delivery_type",
                    "delivery_range",
                    "shipping_option_slug",
                    "cargo_company",
                    "shipping_company",
                    "tracking_number",
                    "carrier_shipping_code",
                    "defined_tracking_url",
                    "has_gift_box",
                    "gift_box_note",
                ],
            },
        ),
        (
            "Payment",
            {
                "classes": ["collapse"],
                "fields": [
                    "payment_option",
                    "payment_option_slug",
                    "bin_number",
                    "installment",
                    "installment_count",
                    "installment_free",
                    "funds_transfer_transactions",
                ],
            },
        ),
        ("Invoice", {"classes": ["collapse"], "fields": ["invoice_number", "invoice_date", "e_archive_url"]}),
        (
            "Cancellation and refunds",
            {
                "classes": ["collapse"],
                "fields": [
                    "cancel_status",
                    "refund_amount",
                    "discount_refund_amount",
                    "shipping_refund_amount",
                    "cancellation_info",
                    "first_refund_strategy",
                ],
            },
        ),
        (
            "Other",
            {
                "classes": ["collapse"],
                "fields": [
                    "client_type",
                    "language_code",
                    "notes",
                    "remote_addr",
                    "segment",
                    "external_status",
                    "checkout_provider_id",
                    "extra_field",
                ],
            },
        ),
    ]
    readonly_fields = ["status_name", "total", "sent_to_erp", "created_date", "modified_date"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("channel", "customer")

    def get_search_results(self, request, queryset, search_term):
        return report_search(self, request, order_search(queryset, search_term))

    def has_change_permission(self, request, obj=None):
        # The change page is read-only (no fields are editable); actions need the real permission.
        return obj is None and request.user.has_perm("orders.change_order")

    @admin.display(description="status", ordering="status")
    def status_name(self, obj: Order) -> str:
        return status_name(obj.status)

    @admin.display(description="total", ordering="amount")
    def total(self, obj: Order) -> str:
        return f"{obj.amount} {obj.currency.upper()}"

    @admin.display(description="sent to ERP", boolean=True, ordering="is_send")
    def sent_to_erp(self, obj: Order) -> bool:
        return obj.is_send

    # Object buttons on the order page. django-object-actions routes them through the admin site's
    # login check only, so each checks the model permission itself.

    def get_urls(self):
        # django-object-actions routes any text as <pk>; one that is not an id would reach the ORM.
        urls = super().get_urls()
        for url in urls:
            if url.name == "orders_order_actions" and "pk" in url.pattern.regex.groupindex:
                url.callback = numeric_pk_only(url.callback)
        return urls

    def get_change_actions(self, request, object_id, form_url):
        if not request.user.has_perm("orders.change_order"):
            return []
        order = self.get_object(request, object_id)
        if order is not None and order.is_send:
            return ["cancel"]
        return self.change_actions

    @staticmethod
    def _check_change_permission(request) -> None:
        if not request.user.has_perm("orders.change_order"):
            raise PermissionDenied

    @object_action(
        label="Mark sent to ERP", description="Mark this order taken by the ERP", methods=("POST",), button_type="form"
    )
    def mark_sent(self, request, obj: Order):
        self._check_change_permission(request)
        order_mark_sent(order=obj, is_send=True, actor=request.user)
        self.message_user(request, f"Order {obj.number} marked sent to the ERP.")

    @object_action(label="Cancel items", description="Cancel items of this order, with a reason", button_type="a")
    def cancel(self, request, obj: Order):
        self._check_change_permission(request)
        form = CancelItemsForm(request.POST if request.method == "POST" else None, order=obj)
        if form.is_valid():
            items = sorted(item.pk for item in form.cleaned_data["items"])
            try:
                plans = order_cancel(
                    order_id=obj.pk,
                    channel_ids=None,
                    actor=request.user,
                    cancel_items=items,
                    default_reason=form.cleaned_data["reason"].pk,
                )
            except ServiceError as exc:
                form.add_error(None, service_error_text(exc))
            else:
                done = ", ".join(plan.get_cancellation_type_display().lower() for plan in plans)
                self.message_user(request, f"Order {obj.number}: {done} of items {', '.join(map(str, items))}.")
                return HttpResponseRedirect(reverse("admin:orders_order_change", args=[obj.pk]))
        return TemplateResponse(
            request,
            "admin/orders/order/cancel_items.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Cancel items of order {obj.number}",
                "opts": self.opts,
                "original": obj,
                "form": form,
            },
        )

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
