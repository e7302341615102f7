from django.apps import AppConfig


class OmnitronConfig(AppConfig):
    """Project plumbing: API tokens, the timestamped base model, system checks."""

    name = "omnitron"
    verbose_name = "API access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from omnitron import checks  # noqa: F401  (registers the deploy checks)
        from omnitron.auth_cache import connect_invalidation

        connect_invalidation()
