"""Orders, order items (one row per unit), events, cancellations, payments, idempotency keys."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from catalog.models import MONEY, RATE, Currency
from channels.models import ShippingCompany
from omnitron.models import TimeStampedModel
from orders.statuses import OrderStatus

# Tracking numbers and carrier shipping codes: channel-app cuts them at 256 characters.
TRACKING_CODE_LENGTH = 256


class CancelStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    CONFIRMATION_WAITING = "confirmation_waiting", "Confirmation waiting"
    CONFIRMED = "confirmed", "Confirmed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WAITING_FOR_PAYMENT = "waiting_for_payment", "Waiting for payment"
    MANUEL_REFUND_NEED = "manuel_refund_need", "Manual refund needed"  # Omnitron's spelling
    COMPLETED = "completed", "Completed"


class CancellationType(models.TextChoices):
    CANCEL = "cancel", "Cancel"
    REFUND = "refund", "Refund"


class DeliveryType(models.TextChoices):
    STANDARD = "standard", "Standard"
    SAME_DAY = "same_day", "Same day"
    NEXT_DAY = "next_day", "Next day"
    SCHEDULED = "scheduled", "Scheduled"
    PICKUP = "pickup", "Pick-up"


class ClientType(models.TextChoices):
    DEFAULT = "default", "Default"
    IOS = "ios", "iOS"
    ANDROID = "android", "Android"
    WEB = "web", "Web"
    INSTORE = "instore", "In-store"


def money(**kwargs):
    """A money column: Decimal with 2 places, never negative."""
    return models.DecimalField(**MONEY, validators=[MinValueValidator(0)], **kwargs)


class Order(TimeStampedModel):
    """An order of a sales channel; ``number`` is unique per channel (database constraint)."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="orders", db_index=False)
    number = models.CharField(max_length=128)
    status = models.CharField(max_length=3, choices=OrderStatus.choices, default=OrderStatus.WAITING)
    date_placed = models.DateTimeField(db_index=True)
    customer = models.ForeignKey("channels.Customer", on_delete=models.PROTECT, related_name="orders")
    shipping_address = models.ForeignKey("channels.Address", on_delete=models.PROTECT, related_name="+")
    billing_address = models.ForeignKey("channels.Address", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3, choices=Currency.choices)
    amount = money()
    shipping_amount = money(default=0)
    shipping_tax_rate = models.DecimalField(**RATE, null=True, blank=True, validators=[MinValueValidator(0)])
    shipping_interest_amount = money(default=0)
    discount_amount = money(default=0)
    refund_amount = money(default=0)
    discount_refund_amount = money(default=0)
    shipping_refund_amount = money(default=0)
    installment_interest_amount = money(default=0)
    extra_field = models.JSONField(default=dict, blank=True)
    payment_option = models.ForeignKey(
        "channels.PaymentOption", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment_option_slug = models.CharField(max_length=128, null=True, blank=True)
    bin_number = models.CharField(max_length=16, null=True, blank=True)
    installment = models.BigIntegerField(null=True, blank=True, help_text="Opaque reference, returned as given.")
    installment_count = models.PositiveSmallIntegerField(default=1)
    installment_free = models.BooleanField(default=False)
    delivery_type = models.CharField(max_length=16, choices=DeliveryType.choices, null=True, blank=True)
    cargo_company = models.ForeignKey(
        "channels.CargoCompany", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shipping_company = models.CharField(max_length=32, choices=ShippingCompany.choices, null=True, blank=True)
    cancel_status = models.CharField(max_length=32, choices=CancelStatus.choices, null=True, blank=True)
    invoice_number = models.CharField(max_length=128, null=True, blank=True)
    invoice_date = models.DateTimeField(null=True, blank=True)
    e_archive_url = models.URLField(max_length=500, null=True, blank=True)
    is_send = models.BooleanField(default=False, help_text="Sent to the ERP.")
    tracking_number = models.CharField(max_length=TRACKING_CODE_LENGTH, null=True, blank=True)
    carrier_shipping_code = models.CharField(max_length=TRACKING_CODE_LENGTH, null=True, blank=True)
    defined_tracking_url = models.URLField(max_length=500, null=True, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    funds_transfer_transactions = models.JSONField(
        default=list, blank=True, help_text="Ids of funds-transfer transactions (fundstransfertransaction_set)."
    )
    has_gift_box = models.BooleanField(default=False)
    gift_box_note = models.CharField(max_length=500, null=True, blank=True)
    external_status = models.BigIntegerField(null=True, blank=True, help_text="Opaque reference, returned as given.")
    client_type = models.CharField(max_length=16, choices=ClientType.choices, default=ClientType.DEFAULT)
    language_code = models.CharField(max_length=16, null=True, blank=True)
    notes = models.TextField(max_length=2000, null=True, blank=True)
    delivery_range = models.JSONField(null=True, blank=True, help_text='{"start": ..., "end": ...}')
    shipping_option_slug = models.CharField(max_length=128, null=True, blank=True)
    segment = models.CharField(max_length=128, null=True, blank=True)
    checkout_provider_id = models.BigIntegerField(null=True, blank=True)
    cancellation_info = models.JSONField(default=dict, blank=True)
    first_refund_strategy = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "number"], name="uniq_order_channel_number"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_amount_non_negative"),
        ]
        indexes = [
            models.Index(fields=["number"], name="order_number_idx"),
            models.Index(fields=["channel", "id"], name="order_channel_id_idx"),
            models.Index(fields=["channel", "status", "id"], name="order_channel_status_idx"),
            models.Index(fields=["is_send", "status", "id"], name="order_erp_queue_idx"),
            models.Index(fields=["channel", "is_send", "status", "id"], name="order_channel_erp_queue_idx"),
            models.Index(fields=["channel", "date_placed", "id"], name="order_channel_placed_idx"),
            models.Index(fields=["channel", "modified_date", "id"], name="order_channel_modified_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def net_shipping_amount(self):
        return self.shipping_amount + self.shipping_interest_amount


class OrderItem(TimeStampedModel):
    """One unit of a product in an order. ``channel`` repeats the order's channel so that the
    channel-scoped lists filter and count on one table."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="orderitem_set", db_index=False)
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+", db_index=False)
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", db_index=False)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    status = models.CharField(max_length=3, choices=OrderStatus.choices, default=OrderStatus.WAITING)
    status_before_cancellation = models.CharField(
        max_length=3,
        choices=OrderStatus.choices,
        null=True,
        blank=True,
        editable=False,
        help_text="Status before a cancellation request (50); a rejected request returns here.",
    )
    cancel_status = models.CharField(max_length=32, choices=CancelStatus.choices, null=True, blank=True)
    price_currency = models.CharField(max_length=3, choices=Currency.choices)
    price = money()
    retail_price = money(null=True, blank=True)
    tax_rate = models.DecimalField(**RATE, default=0, validators=[MinValueValidator(0)])
    tax_amount = money(null=True, blank=True)
    discount_amount = money(default=0)
    installment_interest_amount = money(null=True, blank=True)
    price_list = models.ForeignKey(
        "catalog.PriceList", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stock_list = models.ForeignKey(
        "catalog.StockList", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reservation = models.OneToOneField(
        "catalog.StockReservation", on_delete=models.PROTECT, null=True, blank=True, related_name="order_item"
    )
    shipping_company = models.CharField(max_length=32, choices=ShippingCompany.choices, null=True, blank=True)
    defined_shipping_company = models.CharField(max_length=32, choices=ShippingCompany.choices, null=True, blank=True)
    shipment_code = models.CharField(max_length=128, null=True, blank=True)
    tracking_number = models.CharField(max_length=TRACKING_CODE_LENGTH, null=True, blank=True)
    carrier_shipping_code = models.CharField(max_length=TRACKING_CODE_LENGTH, null=True, blank=True)
    defined_tracking_url = models.URLField(max_length=500, null=True, blank=True)
    estimated_delivery_date = models.DateField(null=True, blank=True)
    invoice_number = models.CharField(max_length=128, null=True, blank=True)
    invoice_date = models.DateTimeField(null=True, blank=True)
    e_archive_url = models.URLField(max_length=500, null=True, blank=True)
    is_tradable = models.BooleanField(default=True)
    forced_refund = models.BooleanField(null=True, blank=True)
    image = models.CharField(max_length=500, null=True, blank=True)
    # Opaque references to systems outside this service, returned as given.
    datasource = models.BigIntegerField(null=True, blank=True)
    reconciliation = models.BigIntegerField(null=True, blank=True)
    cancellation_reconciliation = models.BigIntegerField(null=True, blank=True)
    original_stock = models.BigIntegerField(null=True, blank=True)
    shipping_option_group = models.BigIntegerField(null=True, blank=True)
    external_status = models.BigIntegerField(null=True, blank=True)
    extra_field = models.JSONField(default=dict, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    attributes_kwargs = models.JSONField(default=dict, blank=True)
    localized_attributes = models.JSONField(default=dict, blank=True)
    localized_attributes_kwargs = models.JSONField(default=dict, blank=True)
    mappings = GenericRelation("channels.IntegrationMapping", related_query_name="order_item")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["channel", "id"], name="item_channel_id_idx"),
            models.Index(fields=["channel", "status", "id"], name="item_channel_status_idx"),
            models.Index(fields=["channel", "status", "modified_date"], name="item_channel_status_mod_idx"),
            models.Index(fields=["channel", "modified_date", "id"], name="item_channel_modified_idx"),
            models.Index(fields=["channel", "created_date", "id"], name="item_channel_created_idx"),
            models.Index(
                fields=["channel", "cancel_status", "id"],
                condition=Q(cancel_status__isnull=False),
                name="item_channel_cancel_idx",
            ),
            models.Index(fields=["order", "id"], name="item_order_idx"),
            models.Index(fields=["product", "channel", "id"], name="item_product_idx"),
        ]

    def __str__(self) -> str:
        return f"Item {self.pk} ({self.get_status_display()})"


class EventType(models.TextChoices):
    CREATED = "created", "Order created"
    STATUS_CHANGED = "status_changed", "Status changed"
    FIELD_CHANGED = "field_changed", "Field changed"
    OVERSOLD = "oversold", "Created beyond available stock"
    SENT_TO_ERP = "sent_to_erp", "Sent-to-ERP flag changed"
    MAPPING_CREATED = "mapping_created", "ERP code recorded"
    RESERVATION_RELEASED = "reservation_released", "Stock reservation released"
    CANCEL_REQUESTED = "cancel_requested", "Cancellation or refund requested"
    CANCELED = "canceled", "Item cancelled"
    REFUNDED = "refunded", "Item refunded"


class OrderEvent(TimeStampedModel):
    """One entry in an order's audit trail: who changed what, from which value to which."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", db_index=False)
    item = models.ForeignKey(OrderItem, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    field = models.CharField(max_length=64, null=True, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["order", "id"], name="event_order_idx")]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} (event {self.pk} of order {self.order_id})"


class CancellationReason(TimeStampedModel):
    name = models.CharField(max_length=255)
    cancellation_type = models.CharField(
        max_length=8, choices=CancellationType.choices, default=CancellationType.CANCEL
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class CancellationPlanStatus(models.TextChoices):
    WAITING = "waiting", "Waiting (refund requested)"
    COMPLETED = "completed", "Completed"


class CancellationPlan(TimeStampedModel):
    """One cancellation or refund request: which items, why, and how much is refunded."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="cancellation_plans")
    cancellation_type = models.CharField(max_length=8, choices=CancellationType.choices)
    status = models.CharField(
        max_length=16, choices=CancellationPlanStatus.choices, default=CancellationPlanStatus.WAITING
    )
    is_all = models.BooleanField(default=False)
    refund_amount = money(default=0)
    forced_refund_amount = money(null=True, blank=True)
    is_cargo_refund = models.BooleanField(default=False)
    refund_invoice_number = models.CharField(max_length=128, null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_cancellation_type_display()} plan {self.pk} ({self.get_status_display()})"


class CancellationPlanItem(TimeStampedModel):
    plan = models.ForeignKey(CancellationPlan, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.PROTECT, related_name="cancellation_plan_items")
    reason = models.ForeignKey(CancellationReason, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["plan", "order_item"], name="uniq_plan_item")]

    def __str__(self) -> str:
        return f"Item {self.order_item_id} in cancellation plan {self.plan_id}"


class TransactionType(models.TextChoices):
    PURCHASE = "purchase", "Purchase"
    REFUND = "refund", "Refund"


class PaymentTransaction(TimeStampedModel):
    """A payment or refund of an order; its id backs the order items' ``transaction_id`` filter."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="transactions")
    transaction_type = models.CharField(
        max_length=16, choices=TransactionType.choices, default=TransactionType.PURCHASE
    )
    amount = money()
    currency = models.CharField(max_length=3, choices=Currency.choices)
    remote_id = models.CharField(max_length=128, null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_transaction_type_display()} of {self.amount} {self.currency.upper()} (order {self.order_id})"


class IdempotencyState(models.TextChoices):
    IN_FLIGHT = "in_flight", "In flight"
    COMPLETED = "completed", "Completed"


class IdempotencyKey(TimeStampedModel):
    """A client's ``Idempotency-Key`` for create_orders, per user and channel, kept 24 hours."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=IdempotencyState.choices, default=IdempotencyState.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "channel", "key"], name="uniq_idempotency_user_channel_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_state_display()})"


class CancellationRequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"  # created, nobody has looked at it yet
    CONFIRMED = "confirmed", "Confirmed"
    WAITING_APPROVAL = "waiting_approval", "Waiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"  # final
    COMPLETED = "completed", "Completed"  # final: the cancellation or refund was carried out


# A request in one of these statuses no longer changes.
FINAL_CANCELLATION_REQUEST_STATUSES = (CancellationRequestStatus.REJECTED, CancellationRequestStatus.COMPLETED)


class CancellationRequest(TimeStampedModel):
    """A customer's request (usually relayed by a marketplace) to cancel or refund one order item.

    ``channel`` repeats the item's channel so that the channel's lists filter on one table.
    ``modified_date`` only grows (``services.cancellation_requests``): it names one version for the
    channel app's integration actions. ``remote_id`` (the marketplace's id) is unique in a channel.
    """

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+", db_index=False)
    order_item = models.ForeignKey(
        OrderItem, on_delete=models.PROTECT, related_name="cancellation_requests", db_index=False
    )
    reason = models.ForeignKey(CancellationReason, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(max_length=2000, blank=True, default="")
    cancellation_type = models.CharField(max_length=8, choices=CancellationType.choices)
    status = models.CharField(
        max_length=16, choices=CancellationRequestStatus.choices, default=CancellationRequestStatus.WAITING
    )
    iban = models.CharField(max_length=34, null=True, blank=True)
    holder_name = models.CharField(max_length=255, null=True, blank=True)
    easy_return = models.BigIntegerField(null=True, blank=True, help_text="Opaque reference, returned as given.")
    quantity = models.PositiveSmallIntegerField(default=1, help_text="An order item is one unit.")
    fully_refund_as_loyalty_money = models.BooleanField(default=False)
    remote_id = models.CharField(max_length=255, null=True, blank=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "remote_id"],
                condition=Q(remote_id__isnull=False),
                name="uniq_cancellation_request_remote_id",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cancellation_request_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["channel", "id"], name="cr_channel_id_idx"),
            models.Index(fields=["channel", "status", "id"], name="cr_channel_status_idx"),
            models.Index(fields=["channel", "cancellation_type", "id"], name="cr_channel_type_idx"),
            models.Index(fields=["channel", "modified_date", "id"], name="cr_channel_modified_idx"),
            models.Index(fields=["channel", "created_date", "id"], name="cr_channel_created_idx"),
            models.Index(fields=["order_item", "id"], name="cr_order_item_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_cancellation_type_display()} request {self.pk} ({self.get_status_display()})"


class OrderShippingInfo(TimeStampedModel):
    """What the channel app reports about an order's shipment: the shipping company, and whether the
    shipping information was sent to the marketplace (``is_send``). One row per report."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipping_infos", db_index=False)
    cargo_company = models.ForeignKey(
        "channels.CargoCompany", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shipping_company = models.CharField(max_length=32, choices=ShippingCompany.choices)
    is_send = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["order", "id"], name="shipping_info_order_idx")]

    def __str__(self) -> str:
        return f"Shipping info {self.pk} of order {self.order_id} ({self.shipping_company})"
