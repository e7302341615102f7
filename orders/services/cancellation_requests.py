"""Cancellation requests: create (one per marketplace ``remote_id``), change, reject.

Every write keeps ``modified_date`` strictly increasing and records a ``Change`` in the outbox in
the same transaction (``integrations.services.changes_record``), so the channel app's
``cancellation_requests/updates/`` feed offers each version exactly once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import ChangeKind
from integrations.services import ChangeRow, changes_record
from omnitron.db import retried_atomic
from omnitron.errors import NotFoundError, ServiceValidationError
from orders.locks import cancellation_request_lock, order_items_lock
from orders.models import (
    FINAL_CANCELLATION_REQUEST_STATUSES,
    CancellationReason,
    CancellationRequest,
    CancellationRequestStatus,
    CancellationType,
)

# Fields a client may set when it creates or changes a request, set as sent.
WRITABLE_FIELDS = (
    "description",
    "cancellation_type",
    "iban",
    "holder_name",
    "easy_return",
    "quantity",
    "fully_refund_as_loyalty_money",
    "remote_id",
)
# May be sent back (clients send whole objects) but must equal the stored value: key -> attribute.
IMMUTABLE_FIELDS = {"id": "id", "pk": "id", "order_item": "order_item_id", "uuid": "uuid"}


def invalid_pk(pk: Any) -> list[str]:
    return [f'Invalid pk "{pk}" - object does not exist.']


def version_date_next(previous: datetime | None) -> datetime:
    """A ``modified_date`` after ``previous``: now, or 1 µs after it when the clock has not moved on."""
    now = timezone.now()
    if previous is None:
        return now
    return max(now, previous + timedelta(microseconds=1))


def _reason_get(reason_id: int) -> CancellationReason | None:
    """An active reason (reasons are shared by every channel; an inactive one is not readable)."""
    return CancellationReason.objects.filter(pk=reason_id, is_active=True).first()


def _remote_id_taken(remote_id: object, pk: object) -> ServiceValidationError:
    return ServiceValidationError(
        {"remote_id": [f"A cancellation request with this remote_id already exists in this channel (id {pk})."]}
    )


def _record(request: CancellationRequest, kind: str) -> None:
    changes_record(
        model=CancellationRequest,
        changes=[
            ChangeRow(
                object_id=request.pk, channel_id=request.channel_id, version_date=request.modified_date, kind=kind
            )
        ],
    )


@dataclass(frozen=True)
class CreateResult:
    request: CancellationRequest
    created: bool  # False: the channel already had this remote_id for this item; nothing was written


@retried_atomic
def cancellation_request_create(
    *, channel_id: int, order_item_id: int, reason_id: int, fields: dict[str, Any]
) -> CreateResult:
    """Create a request for one item of the channel. Locks the item's order, then the item.

    A ``remote_id`` the channel already has for the same item returns that request unchanged (the
    channel app sends a marketplace's request again on its next run); for another item it is
    refused. Raises ServiceValidationError (nothing written) for an item outside the channel, an
    unknown or inactive reason, or a taken ``remote_id``.
    """
    item = order_items_lock(item_ids=[order_item_id], channel_ids=[channel_id]).get(order_item_id)
    reason = _reason_get(reason_id)
    errors: dict[str, list[str]] = {}
    if item is None:
        errors["order_item"] = invalid_pk(order_item_id)
    if reason is None:
        errors["reason"] = invalid_pk(reason_id)
    if errors or item is None:
        raise ServiceValidationError(errors)
    remote_id = fields.get("remote_id")
    if remote_id is not None:
        existing = CancellationRequest.objects.filter(channel_id=channel_id, remote_id=remote_id).first()
        if existing is not None:
            if existing.order_item_id == item.pk:
                return CreateResult(request=existing, created=False)
            raise _remote_id_taken(remote_id, existing.pk)
    values = {name: fields[name] for name in WRITABLE_FIELDS if name in fields}
    values.setdefault("cancellation_type", CancellationType.CANCEL)
    request = CancellationRequest(channel_id=channel_id, order_item=item, reason=reason, **values)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # Another item's request took the remote_id meanwhile (this item's requests wait on its lock).
        taken = CancellationRequest.objects.filter(channel_id=channel_id, remote_id=remote_id).first()
        raise _remote_id_taken(remote_id, taken.pk if taken else "?") from None
    _record(request, ChangeKind.CREATED)
    return CreateResult(request=request, created=True)


def _changes(request: CancellationRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The fields ``data`` changes (name -> new value); raises ServiceValidationError on a refusal."""
    errors: dict[str, list[str]] = {}
    for key, attribute in IMMUTABLE_FIELDS.items():
        if key in data and data[key] != getattr(request, attribute):
            errors[key] = [f"This field cannot be changed (stored value: {getattr(request, attribute)!s})."]
    changes: dict[str, Any] = {}
    if "reason" in data and data["reason"] != request.reason_id:
        if _reason_get(data["reason"]) is None:
            errors["reason"] = invalid_pk(data["reason"])
        else:
            changes["reason_id"] = data["reason"]
    for name in (*WRITABLE_FIELDS, "status"):
        if name in data and data[name] != getattr(request, name):
            changes[name] = data[name]
    if changes and request.status in FINAL_CANCELLATION_REQUEST_STATUSES:
        errors.setdefault("status", []).append(f"The request is {request.status}: it no longer changes.")
    if errors:
        raise ServiceValidationError(errors)
    return changes


def _apply(request: CancellationRequest, changes: dict[str, Any]) -> CancellationRequest:
    """Write ``changes`` with the next version date and record the change (nothing when empty)."""
    if not changes:
        return request
    version = version_date_next(request.modified_date)
    try:
        with transaction.atomic():
            # update(), not save(): auto_now would replace the computed version date.
            CancellationRequest.objects.filter(pk=request.pk).update(**changes, modified_date=version)
    except IntegrityError:
        taken = CancellationRequest.objects.filter(channel_id=request.channel_id, remote_id=changes.get("remote_id"))
        raise _remote_id_taken(changes.get("remote_id"), taken.values_list("pk", flat=True).first()) from None
    for name, value in changes.items():
        setattr(request, name, value)
    request.modified_date = version
    _record(request, ChangeKind.CHANGED)
    return request


def _locked(*, channel_id: int, request_id: int) -> CancellationRequest:
    request = cancellation_request_lock(request_id=request_id, channel_id=channel_id)
    if request is None:
        raise NotFoundError()
    return request


@retried_atomic
def cancellation_request_update(*, channel_id: int, request_id: int, data: dict[str, Any]) -> CancellationRequest:
    """Change a request of the channel (PATCH/PUT). Locks the request. Values equal to the stored
    ones change nothing (no new version). Raises NotFoundError outside the channel,
    ServiceValidationError (nothing written) for an inactive reason, a changed ``order_item``, a
    taken ``remote_id`` or any change to a rejected or completed request."""
    request = _locked(channel_id=channel_id, request_id=request_id)
    return _apply(request, _changes(request, data))


@retried_atomic
def cancellation_request_reject(*, channel_id: int, request_id: int) -> CancellationRequest:
    """Reject a request of the channel. Locks the request. Rejecting a rejected request changes
    nothing; a completed one is refused (ServiceValidationError); NotFoundError outside the channel."""
    request = _locked(channel_id=channel_id, request_id=request_id)
    if request.status == CancellationRequestStatus.REJECTED:
        return request
    if request.status == CancellationRequestStatus.COMPLETED:
        raise ServiceValidationError({"status": ["The request is completed: it can no longer be rejected."]})
    return _apply(request, {"status": CancellationRequestStatus.REJECTED})
