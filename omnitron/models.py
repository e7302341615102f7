"""Project-wide base model and API tokens."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Abstract base: every row knows when it was created and last modified (both indexed)."""

    created_date = models.DateTimeField(auto_now_add=True, db_index=True)
    modified_date = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class TokenKind(models.TextChoices):
    """Login tokens share their user's throttle quotas and expire when idle; integration tokens
    (named, made in the admin) each have their own quotas and never expire from idleness."""

    LOGIN = "login", "Login"
    INTEGRATION = "integration", "Integration"


class APIToken(TimeStampedModel):
    """A bearer token for the REST API, stored only as a SHA-256 digest of its key.

    Keys are 160 random bits, so a fast digest is enough: a database dump does not yield a
    usable key. ``key_prefix`` (the first 8 characters) lets an operator recognise a token.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the integration's name.")
    kind = models.CharField(
        max_length=20,
        choices=TokenKind.choices,
        default=TokenKind.INTEGRATION,
        editable=False,
        help_text="Login: issued by the login endpoint. Integration: made on purpose, with its own quota.",
    )
    key_prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API token"
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "-id"], name="apitoken_user_idx")]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired
