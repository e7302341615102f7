from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Products, price lists, stock lists and stock reservations."""

    name = "catalog"
    default_auto_field = "django.db.models.BigAutoField"
