from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    """Sales channels, their members, customers, addresses, geography and integration mappings."""

    name = "channels"
    verbose_name = "Sales channels"
    default_auto_field = "django.db.models.BigAutoField"
