"""Services for API tokens: create, authenticate, revoke."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from omnitron.models import APIToken


def token_digest(key: str) -> str:
    """Return the stored form of a key (hex SHA-256)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, expires_at=None) -> tuple[APIToken, str]:
    """Create a token for ``user``; return it with its key, which is never stored or shown again."""
    key = secrets.token_hex(20)
    token = APIToken.objects.create(
        user=user, name=name, key_prefix=key[:8], digest=token_digest(key), expires_at=expires_at
    )
    return token, key


def token_create_for_login(*, user) -> tuple[APIToken, str]:
    """Create the token handed out by the login endpoint, with the configured lifetime."""
    ttl = settings.API_TOKEN_LOGIN_TTL_HOURS
    expires_at = timezone.now() + timedelta(hours=ttl) if ttl > 0 else None
    return token_create(user=user, name="login", expires_at=expires_at)


def token_authenticate(*, key: str) -> APIToken | None:
    """Return the usable token for ``key`` (user loaded), or None.

    Records ``last_used_at`` at most once per ``API_TOKEN_LAST_USED_RESOLUTION_SECONDS``, with a
    conditional UPDATE so concurrent requests do not write it twice.
    """
    try:
        token = APIToken.objects.select_related("user").get(digest=token_digest(key))
    except APIToken.DoesNotExist:
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    resolution = timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= resolution:
        stale_before = now - resolution
        APIToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale_before), pk=token.pk).update(
            last_used_at=now
        )
        token.last_used_at = now
    return token


def token_revoke(*, token: APIToken) -> APIToken:
    """Revoke a token; later requests with its key answer 401. Revoking twice keeps the first time."""
    APIToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def tokens_delete_expired(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete tokens that expired or were revoked more than ``older_than`` ago; return how many."""
    cutoff = timezone.now() - older_than
    deleted, _ = APIToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    return deleted
