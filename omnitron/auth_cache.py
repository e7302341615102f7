"""A short-lived, per-process cache of authenticated tokens.

A hit reuses the token and its user as the last request loaded them, together with what that request
computed on the user (its channel ids, its permissions), so a repeated caller costs no statement
before the view's own. Entries live ``API_AUTH_CACHE_SECONDS`` (0 turns the cache off). Every
process sees a revoked or expired token, a deactivated user, or a membership, group or permission
change within that many seconds; the process that made the change sees it at once, because the
receivers below empty its cache. Writes that send no model signal (``QuerySet.update``,
``bulk_create``) must call ``auth_cache_clear()`` themselves, as ``token_revoke`` does.
"""

import time

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

# A worker serves a bounded number of distinct tokens; past this the cache starts again empty.
MAX_ENTRIES = 10_000

_entries: dict[str, tuple[float, object]] = {}


def auth_cache_get(digest: str):
    """The cached token (its ``user`` attached) for ``digest``, or None when absent or stale."""
    entry = _entries.get(digest)
    if entry is None:
        return None
    if entry[0] <= time.monotonic():
        _entries.pop(digest, None)
        return None
    return entry[1]


def auth_cache_put(digest: str, token) -> None:
    seconds = settings.API_AUTH_CACHE_SECONDS
    if seconds <= 0:
        return
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[digest] = (time.monotonic() + seconds, token)


def auth_cache_clear(**_signal_kwargs) -> None:
    """Forget every cached token (connected to the signals of what a cached entry depends on)."""
    _entries.clear()


def connect_invalidation() -> None:
    """Empty the cache whenever a token, a user, a group, a channel membership or a permission grant
    changes in this process."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    for sender in ("omnitron.APIToken", user_model, Group, "channels.ChannelMembership"):
        post_save.connect(auth_cache_clear, sender=sender, dispatch_uid=f"auth_cache_save_{sender}")
        post_delete.connect(auth_cache_clear, sender=sender, dispatch_uid=f"auth_cache_delete_{sender}")
    for through in (user_model.user_permissions.through, user_model.groups.through, Group.permissions.through):
        m2m_changed.connect(auth_cache_clear, sender=through, dispatch_uid=f"auth_cache_m2m_{through}")
