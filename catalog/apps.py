from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Products, price lists, stock lists and stock reservations."""

    name = "catalog"
    verbose_name = "Catalog and stock"
    default_auto_field = "django.db.models.BigAutoField"
