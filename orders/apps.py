from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """Orders, order items, their audit trail, cancellations and payments."""

    name = "orders"
    verbose_name = "Order management"
    default_auto_field = "django.db.models.BigAutoField"
