"""Throttles: per-user (or per-integration-token) read and write quotas and per-(username,
address) login attempts.

Fixed windows counted in the shared cache (Redis in production): one atomic increment per request,
the same count seen by every app server, and an exact reset time for the ``RateLimit-*`` headers.
Throttles are a courtesy to protect the service, not a security boundary: if the cache is down,
requests are let through (and the failure is logged) rather than refused.
"""

import hashlib
import logging
import math
import time
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from omnitron.models import APIToken, TokenKind

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DISABLED = {"", "0", "off", "none"}


@dataclass(frozen=True)
class Quota:
    """Where a client stands in its current window; rendered as the ``RateLimit-*`` headers."""

    limit: int
    remaining: int
    reset: int  # whole seconds until the window ends and ``remaining`` is back to ``limit``

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """``"120/min"`` → (120, 60) as in DRF (period by its first letter: s, m, h, d); ``None``,
    ``"off"`` or a zero count disable the scope. Raises ValueError for anything else."""
    text = str(rate).strip().lower() if rate is not None else ""
    if text in DISABLED:
        return None
    count, _, period = text.partition("/")
    if not count.strip().isdigit() or period.strip()[:1] not in PERIODS:
        raise ValueError(f"{rate!r} is not a rate such as '120/min' or 'off'")
    num_requests = int(count)
    return (num_requests, PERIODS[period.strip()[0]]) if num_requests else None


def record_quota(request, quota: Quota) -> None:
    """Keep the tightest quota of the request for the headers (``RateLimitHeadersMiddleware``)."""
    http_request = getattr(request, "_request", request)
    current = getattr(http_request, "ratelimit", None)
    if current is None or quota.remaining < current.remaining:
        http_request.ratelimit = quota


class WindowRateThrottle(ABC, BaseThrottle):
    """Allow ``rate`` requests per fixed window for each (scope, identity).

    Subclasses choose the scope (``get_scope``) and the identity (``get_ident_key``); the rate
    is read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`` on every request, so a
    changed setting applies at once.
    """

    cache = cache
    timer = staticmethod(time.time)
    cache_prefix = "throttle"

    def __init__(self):
        self.quota: Quota | None = None

    @abstractmethod
    def get_scope(self, request, view) -> str | None:
        """The rate's scope for this request (None: not throttled)."""

    @abstractmethod
    def get_ident_key(self, request, view) -> str:
        """Whose requests share the count (a token, a user, an address)."""

    def allow_request(self, request, view) -> bool:
        scope = self.get_scope(request, view)
        rate = parse_rate(api_settings.DEFAULT_THROTTLE_RATES.get(scope)) if scope else None  # type: ignore[arg-type]  # the DRF stubs type rates as numbers; DRF reads "N/period" strings
        if rate is None:
            return True
        limit, duration = rate
        now = self.timer()
        window = int(now // duration)
        reset = max(1, math.ceil((window + 1) * duration - now))
        key = f"{self.cache_prefix}:{scope}:{self.get_ident_key(request, view)}:{window}"
        try:
            count = self._increment(key, timeout=reset + 1)
        except Exception:  # the cache being down must not take the API down with it
            logger.warning("Throttle cache unavailable; %s not enforced", scope, exc_info=True)
            return True
        self.quota = Quota(limit=limit, remaining=max(0, limit - count), reset=reset)
        record_quota(request, self.quota)
        return count <= limit

    def _increment(self, key: str, timeout: int) -> int:
        """Count one request in ``key``'s window (atomic on Redis and in local memory)."""
        try:
            return self.cache.incr(key)
        except ValueError:  # first request of the window
            if self.cache.add(key, 1, timeout=timeout):
                return 1
            return self.cache.incr(key)  # another request created it in between

    def wait(self) -> float | None:
        return self.quota.reset if self.quota else None


class TokenThrottle(WindowRateThrottle):
    """Per-user quota: the user's login tokens (and admin session) share one count; each
    integration token, made on purpose with a name, counts apart. Without a user, the address."""

    def get_ident_key(self, request, view) -> str:
        token = request.auth
        if isinstance(token, APIToken) and token.kind == TokenKind.INTEGRATION:
            return f"token:{token.pk}"
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"addr:{self.get_ident(request)}"


class ReadThrottle(TokenThrottle):
    """Reads (GET, HEAD, OPTIONS): scope ``read``."""

    def get_scope(self, request, view) -> str | None:
        return "read" if request.method in SAFE_METHODS else None


class WriteThrottle(TokenThrottle):
    """Writes (POST, PUT, PATCH, DELETE): scope ``write``, or the view's ``write_throttle_scope``
    (``create_orders``, stricter because each call locks stock rows)."""

    def get_scope(self, request, view) -> str | None:
        if request.method in SAFE_METHODS:
            return None
        return getattr(view, "write_throttle_scope", "write")


class LoginThrottle(WindowRateThrottle):
    """Login attempts: scope ``login``, counted per (username, client address).

    The address is ``REMOTE_ADDR``, or the ``NUM_PROXIES``-th address from the right of
    ``X-Forwarded-For`` when the service runs behind that many trusted proxies.
    """

    def get_scope(self, request, view) -> str | None:
        return "login"

    def get_ident_key(self, request, view) -> str:
        data = request.data if isinstance(request.data, dict) else {}
        username = data.get("username")
        username = unicodedata.normalize("NFKC", username).casefold().strip() if isinstance(username, str) else ""
        address = self.get_ident(request) or ""
        # Hashed: usernames may hold any character, and neither value belongs in the cache in clear.
        return hashlib.sha256(f"{username}\x00{address}".encode()).hexdigest()
