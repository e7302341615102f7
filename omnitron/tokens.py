"""Services for API tokens: create, authenticate, revoke."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.utils import timezone

from omnitron.auth_cache import auth_cache_clear, auth_cache_get, auth_cache_put
from omnitron.models import APIToken, TokenKind
from omnitron.prepared import PreparedValues


def token_digest(key: str) -> str:
    """Return the stored form of a key (hex SHA-256)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, expires_at=None, kind: TokenKind = TokenKind.INTEGRATION) -> tuple[APIToken, str]:
    """Create a token for ``user``; return it with its key, which is never stored or shown again.

    An integration token (the default: the admin's) has throttle quotas of its own."""
    key = secrets.token_hex(20)
    token = APIToken.objects.create(
        user=user, name=name, kind=kind, key_prefix=key[:8], digest=token_digest(key), expires_at=expires_at
    )
    return token, key


def token_create_for_login(*, user) -> tuple[APIToken, str]:
    """Create the token handed out by the login endpoint, with the configured lifetime.

    Older tokens of the user stay valid (clients share one cached token between workers)."""
    ttl = settings.API_TOKEN_LOGIN_TTL_HOURS
    expires_at = timezone.now() + timedelta(hours=ttl) if ttl > 0 else None
    return token_create(user=user, name="login", expires_at=expires_at, kind=TokenKind.LOGIN)


def login_token_idle_since() -> datetime | None:
    """Login tokens last used (or, never used, created) before this are idle and refused; None
    when ``API_LOGIN_TOKEN_IDLE_DAYS`` is 0."""
    days = settings.API_LOGIN_TOKEN_IDLE_DAYS
    return timezone.now() - timedelta(days=days) if days > 0 else None


def token_is_idle(token: APIToken, *, idle_since: datetime | None) -> bool:
    """Whether ``token`` is a login token unused since ``idle_since``."""
    if token.kind != TokenKind.LOGIN or idle_since is None:
        return False
    return (token.last_used_at or token.created_date) < idle_since


# What authentication and the permission checks read; the rest of the user (the password hash
# above all) stays in the database unless a view asks for it.
_TOKEN_FIELDS = ("id", "user_id", "kind", "created_date", "expires_at", "revoked_at", "last_used_at")
_USER_FIELDS = ("id", "is_active", "is_staff", "is_superuser", "username")
_TOKEN_BY_DIGEST = PreparedValues(
    lambda digest: (
        APIToken.objects.filter(digest=digest)
        .order_by()
        .values(*_TOKEN_FIELDS, *(f"user__{name}" for name in _USER_FIELDS))
    ),
    kinds=("value",),
)


def _deferred_instance(model, values: dict):
    """A model instance with only ``values`` (by attname) loaded, as a query with ``only()`` makes."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


def _token_from_row(row: dict) -> APIToken:
    """The token and its user, loaded with only the fields read above."""
    token = _deferred_instance(APIToken, {name: row[name] for name in _TOKEN_FIELDS})
    token.user = _deferred_instance(get_user_model(), {name: row[f"user__{name}"] for name in _USER_FIELDS})
    return token


def token_authenticate(*, key: str) -> APIToken | None:
    """Return the usable token for ``key`` (user loaded), or None (also for an idle login token).

    The token and its user come from the per-process cache (``omnitron.auth_cache``) when a request
    with the same key loaded them less than ``API_AUTH_CACHE_SECONDS`` ago.

    Records ``last_used_at`` at most once per ``API_TOKEN_LAST_USED_RESOLUTION_SECONDS``, with a
    conditional UPDATE so concurrent requests do not write it twice.
    """
    digest = token_digest(key)
    token = auth_cache_get(digest)
    if token is None:
        rows = _TOKEN_BY_DIGEST.rows(digest)
        if not rows:
            return None
        token = _token_from_row(rows[0])
        auth_cache_put(digest, token)
    if not token.is_usable or not token.user.is_active:
        return None
    if token_is_idle(token, idle_since=login_token_idle_since()):
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
    auth_cache_clear()
    token.refresh_from_db(fields=["revoked_at"])
    return token


def tokens_delete_expired(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete tokens that expired, were revoked or (login tokens) went idle more than
    ``older_than`` ago; return how many."""
    cutoff = timezone.now() - older_than
    expired = Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    idle_since = login_token_idle_since()
    if idle_since is not None:
        idle_before = idle_since - older_than
        expired |= Q(kind=TokenKind.LOGIN) & (
            Q(last_used_at__lt=idle_before) | Q(last_used_at__isnull=True, created_date__lt=idle_before)
        )
    deleted, _ = APIToken.objects.filter(expired).delete()
    return deleted
