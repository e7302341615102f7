from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Products, price lists, stock lists and stock reservations."""

    name = "catalog"
    verbose_name = "Catalog and stock"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from catalog.feeds import deleted_product_integration_actions
        from integrations.selectors import deleted_rule_register

        deleted_rule_register(model_name="product", rule=deleted_product_integration_actions)
