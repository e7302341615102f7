from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The channel-app protocol: batch requests, integration actions, error reports, the change outbox."""

    name = "integrations"
    verbose_name = "Channel integrations"
    default_auto_field = "django.db.models.BigAutoField"
