"""Idempotency keys for create_orders: one stored outcome per (user, channel, key) for 24 hours.

A request first *claims* its key in a short transaction of its own (the unique constraint
decides between concurrent requests). A successful create stores its response in the same
transaction as the order, so an order never exists without its key's response, nor a stored
response without its order. A request that is refused or fails wrote nothing, so its claim is
dropped and a retry with the same key runs again (and may succeed, e.g. once stock is back).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import orjson
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from orders.exceptions import IdempotencyKeyInFlightError, IdempotencyKeyInvalidError, IdempotencyKeyReusedError
from orders.models import IdempotencyKey, IdempotencyState

logger = logging.getLogger(__name__)

KEY_TTL = timedelta(hours=24)
# A claim older than this was abandoned by a worker that died mid-request (gunicorn's timeout
# and the statement timeout are 30 s each), so another request may take the key over.
IN_FLIGHT_TIMEOUT = timedelta(minutes=2)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class IdempotencyClaim:
    """This request owns the key until it completes or releases it.

    ``claimed_at`` is the row's ``modified_date`` when claimed; writes through the claim check it,
    so a claim that was taken over (after IN_FLIGHT_TIMEOUT) can no longer complete.
    """

    pk: int
    claimed_at: datetime


@dataclass(frozen=True)
class IdempotencyReplay:
    """The stored outcome of the first request with this key and body."""

    status: int
    body: Any


def idempotency_request_hash(payload: Any) -> str:
    """SHA-256 of the parsed request body in canonical form (key order and spacing ignored)."""
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)).hexdigest()


def idempotency_key_check(key: str) -> str:
    """The key as given, or IdempotencyKeyInvalidError (400) when it is empty, too long or not printable ASCII."""
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " <= char <= "~" for char in key):
        raise IdempotencyKeyInvalidError(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters (a UUID is a good choice)."
        )
    return key


def idempotency_key_claim(
    *, user, channel_id: int, key: str, request_hash: str
) -> IdempotencyClaim | IdempotencyReplay:
    """Claim ``key`` for this request, or return the stored outcome of its first use.

    Runs its own short transaction, so call it outside any atomic block: the claim must be
    visible to concurrent requests at once. Raises IdempotencyKeyReusedError (422) when the key
    was used with a different body and IdempotencyKeyInFlightError (409) while the first request
    is still running. Expired keys, and claims abandoned for longer than IN_FLIGHT_TIMEOUT, are
    taken over.
    """
    idempotency_key_check(key)
    lookup = {"user": user, "channel_id": channel_id, "key": key}
    for _ in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    **lookup,
                    request_hash=request_hash,
                    state=IdempotencyState.IN_FLIGHT,
                    expires_at=now + KEY_TTL,
                )
            return IdempotencyClaim(pk=row.pk, claimed_at=row.modified_date)
        except IntegrityError:
            pass
        existing = IdempotencyKey.objects.filter(**lookup).first()
        if existing is None:
            continue  # removed meanwhile (purged or released): try the insert again
        if existing.expires_at <= now:
            claim = _take_over(existing, request_hash=request_hash, now=now, condition=Q(expires_at__lte=now))
        elif existing.request_hash != request_hash:
            raise IdempotencyKeyReusedError()
        elif existing.state == IdempotencyState.COMPLETED:
            # A completed record always stores the response it replays.
            return IdempotencyReplay(status=cast(int, existing.response_status), body=existing.response_body)
        elif existing.modified_date <= now - IN_FLIGHT_TIMEOUT:
            logger.warning("Taking over idempotency key %s abandoned since %s", existing.pk, existing.modified_date)
            claim = _take_over(
                existing,
                request_hash=request_hash,
                now=now,
                condition=Q(state=IdempotencyState.IN_FLIGHT, modified_date=existing.modified_date),
            )
        else:
            raise IdempotencyKeyInFlightError()
        if claim is not None:
            return claim
    # The row changed under us on every attempt: another request is busy with this key.
    raise IdempotencyKeyInFlightError()


def _take_over(existing: IdempotencyKey, *, request_hash: str, now: datetime, condition: Q) -> IdempotencyClaim | None:
    """Turn ``existing`` into a fresh claim if ``condition`` still holds (a conditional UPDATE)."""
    updated = IdempotencyKey.objects.filter(condition, pk=existing.pk).update(
        request_hash=request_hash,
        state=IdempotencyState.IN_FLIGHT,
        response_status=None,
        response_body=None,
        expires_at=now + KEY_TTL,
        modified_date=now,
    )
    return IdempotencyClaim(pk=existing.pk, claimed_at=now) if updated else None


def idempotency_key_complete(*, claim: IdempotencyClaim, status: int, body: Any) -> None:
    """Store the response of the claimed request; run it in the transaction that wrote the order.

    ``body`` must be JSON-serialisable as is. Raises IdempotencyKeyInFlightError when the claim
    was taken over meanwhile; the caller's transaction then rolls back and writes nothing.
    """
    updated = IdempotencyKey.objects.filter(
        pk=claim.pk, state=IdempotencyState.IN_FLIGHT, modified_date=claim.claimed_at
    ).update(state=IdempotencyState.COMPLETED, response_status=status, response_body=body, modified_date=timezone.now())
    if updated != 1:
        raise IdempotencyKeyInFlightError("Another request took over this Idempotency-Key; retry to get its outcome.")


def idempotency_key_release(*, claim: IdempotencyClaim) -> None:
    """Drop a claim whose request wrote nothing (refused or failed), so a retry runs again.

    Never raises: if the database is unreachable, the claim expires after IN_FLIGHT_TIMEOUT.
    """
    try:
        IdempotencyKey.objects.filter(
            pk=claim.pk, state=IdempotencyState.IN_FLIGHT, modified_date=claim.claimed_at
        ).delete()
    except Exception:  # the original error matters more than this clean-up
        logger.exception("Could not release idempotency key %s", claim.pk)


def idempotency_keys_purge(*, now: datetime | None = None, batch_size: int = 5000) -> int:
    """Delete expired keys in batches; returns how many were deleted."""
    now = now or timezone.now()
    deleted = 0
    while True:
        ids = list(
            IdempotencyKey.objects.filter(expires_at__lte=now).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return deleted
        count, _ = IdempotencyKey.objects.filter(pk__in=ids, expires_at__lte=now).delete()
        deleted += count
