"""The order item admin: edited through ``order_item_update``, offering only allowed status moves."""

from django import forms
from django.contrib import admin, messages

from omnitron.admin_utils import BigTableAdminMixin, change_link
from omnitron.errors import ServiceError
from orders.admin.display import report_search, status_name
from orders.models import Order, OrderItem
from orders.selectors.admin import by_order_search
from orders.services.items import ITEM_WRITABLE_FIELDS, order_item_update
from orders.statuses import allowed_transitions, transition_error

ITEM_ADMIN_EDITABLE = list(ITEM_WRITABLE_FIELDS)


class OrderItemAdminForm(forms.ModelForm):
    """Offers only the status moves the transition table allows, and checks them again on save."""

    class Meta:
        model = OrderItem
        fields = ITEM_ADMIN_EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        allowed = allowed_transitions(current, before_cancellation=self.instance.status_before_cancellation)
        self.fields["status"].choices = [(code, status_name(code)) for code in [current, *allowed]]
        self.fields["status"].help_text = "Only the moves allowed from the current status are offered."

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
    list_display = ["id", "order_link", "product", "item_status", "cancel_status", "price", "price_currency"]
    list_display_links = ["id"]
    list_filter = ["status", "cancel_status", "channel"]
    list_select_related = ["order", "product"]
    search_fields = ["order__number"]
    search_help_text = "Order number (or its beginning), or a product's exact SKU."
    raw_id_fields = ["order", "product", "parent", "reservation", "price_list", "stock_list"]
    fieldsets = [
        (None, {"fields": ["order", "channel", "product", "status", "cancel_status"]}),
        ("Shipping and invoice", {"fields": ITEM_ADMIN_EDITABLE[2:]}),
        (
            "Price and stock",
            {
                "classes": ["collapse"],
                "fields": [
                    "price",
                    "price_currency",
                    "tax_rate",
                    "retail_price",
                    "discount_amount",
                    "price_list",
                    "stock_list",
                    "reservation",
                ],
            },
        ),
        ("Data", {"classes": ["collapse"], "fields": ["extra_field", "attributes", "created_date", "modified_date"]}),
    ]
    readonly_fields = [
        name for _, options in fieldsets for name in options["fields"] if name not in ITEM_ADMIN_EDITABLE
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order", "product")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        by_sku = OrderItem.objects.filter(product__sku=search_term.strip())
        return report_search(self, request, by_order_search(queryset, search_term, also=by_sku))

    @admin.display(description="order", ordering="order_id")
    def order_link(self, obj: OrderItem) -> str:
        return change_link(Order, obj.order_id, obj.order.number)

    @admin.display(description="status", ordering="status")
    def item_status(self, obj: OrderItem) -> str:
        return status_name(obj.status)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            order_item_update(item_id=obj.pk, data=data, actor=request.user, channel_ids=None)
        except ServiceError as exc:
            self.message_user(request, f"Not saved: {exc.as_dict()}", level=messages.ERROR)
