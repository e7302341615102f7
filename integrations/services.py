"""Writes of the integrations app: the change outbox, batch requests, integration actions, error reports."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, Max, Model, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from integrations import queries
from integrations.exceptions import BatchRequestDoneError, BatchRequestTransitionError
from integrations.locks import batch_request_lock, integration_action_lock, integration_actions_lock
from integrations.models import (
    OPEN_BATCH_STATUSES,
    BatchRequest,
    BatchStatus,
    Change,
    ChangeKind,
    ErrorReport,
    ErrorReportKind,
    IntegrationAction,
    IntegrationStatus,
)
from omnitron.db import atomic_with_retry
from omnitron.errors import NotFoundError, ServiceValidationError


@dataclass(frozen=True)
class ChangeRow:
    """One change of one object: its new ``modified_date`` and what happened (ChangeKind value)."""

    object_id: int
    channel_id: int | None
    version_date: datetime
    kind: str


def changes_record(*, model: type[Model], changes: Iterable[ChangeRow]) -> None:
    """Record outbox rows for changes of ``model`` objects, inside the caller's transaction.

    Two statements whatever the number of rows: one INSERT into the outbox and one UPDATE of the
    objects' integration actions (``pending_seq``). Call it while holding the objects' row locks,
    after writing them, so outbox order follows commit order per object.
    """
    content_type_id = ContentType.objects.get_for_model(model).pk
    rows = [(content_type_id, c.object_id, c.channel_id, c.version_date, c.kind) for c in changes]
    if not rows:
        return
    queries.changes_insert(rows=rows, now=timezone.now())
    queries.pending_seq_update(content_type_id=content_type_id, object_ids=sorted({r[1] for r in rows}))


def changes_record_created(*, created: Iterable[tuple[type[Model], int, int | None, datetime]]) -> None:
    """Record a ``created`` outbox row per ``(model, object_id, channel_id, modified_date)`` of
    objects inserted in the caller's transaction, in the order given: one INSERT whatever the
    models and the number of rows.

    A new object's ``modified_date`` as inserted is its version (there is no earlier one to come
    after), and no integration action can name it yet (one names only an object that exists, so
    none still uncommitted): nothing to read, nothing to move. Objects that existed before the
    transaction go through ``changes_touch``.
    """
    content_type_ids: dict[type[Model], int] = {}
    rows = []
    for model, object_id, channel_id, version_date in created:
        if model not in content_type_ids:
            content_type_ids[model] = ContentType.objects.get_for_model(model).pk
        rows.append((content_type_ids[model], object_id, channel_id, version_date, ChangeKind.CREATED.value))
    queries.changes_insert(rows=rows, now=timezone.now())


_ONE_MICROSECOND = timedelta(microseconds=1)


def version_date_next(*, current: datetime | None, last: datetime | None, kind: str, now: datetime) -> datetime:
    """The ``modified_date`` naming an object's new version: strictly after its last recorded one.

    A row the caller just wrote keeps its own value when that is already past the last version
    (the usual case); otherwise it moves to ``max(now, last + 1µs)``. A new row keeps its value.
    """
    if last is None:
        return current if current is not None and kind == ChangeKind.CREATED else max(filter(None, (now, current)))
    if current is not None and current > last:
        return current
    return max(now, last + _ONE_MICROSECOND)


def changes_touch(*, model: type[Model], kinds: Mapping[int, str]) -> dict[int, datetime]:
    """Give each changed object a new exact version and record it in the outbox; return the versions.

    ``kinds`` maps object ids to a ChangeKind value. For objects the caller has locked and written
    in its transaction: reads their ``modified_date`` and last outbox version in one query,
    moves ``modified_date`` forward where the write left it at or before the last version (one
    UPDATE, only then) and calls ``changes_record``. The model needs ``modified_date`` and may
    have ``channel_id``; objects that do not exist are skipped.
    """
    if not kinds:
        return {}
    content_type = ContentType.objects.get_for_model(model)
    last = Change.objects.filter(content_type=content_type, object_id=OuterRef("pk")).order_by("-id")
    has_channel = any(f.attname == "channel_id" for f in model._meta.concrete_fields)
    columns = ["pk", "modified_date", "last_version"] + (["channel_id"] if has_channel else [])
    rows = (
        model._default_manager.filter(pk__in=sorted(kinds))
        .annotate(last_version=Subquery(last.values("version_date")[:1]))
        .order_by("pk")
        .values_list(*columns)
    )
    now = timezone.now()
    versions: dict[int, datetime] = {}
    changes: list[ChangeRow] = []
    moved: dict[int, datetime] = {}
    for row in rows:
        pk, current, last_version = row[0], row[1], row[2]
        version = version_date_next(current=current, last=last_version, kind=kinds[pk], now=now)
        if version != current:
            moved[pk] = version
        versions[pk] = version
        changes.append(ChangeRow(pk, row[3] if has_channel else None, version, kinds[pk]))
    if moved:
        model._default_manager.filter(pk__in=sorted(moved)).update(
            modified_date=Case(
                *(When(pk=pk, then=Value(version)) for pk, version in moved.items()), output_field=DateTimeField()
            )
        )
    changes_record(model=model, changes=changes)
    return versions


# --- Batch requests ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchObject:
    """One element of a batch's ``objects`` as the client sent it, checked."""

    pk: int
    content_type_id: int | None
    version_date: datetime | None
    remote_id: str | None
    failed_reason_type: str | None
    raw: dict

    @property
    def type_id(self) -> int:
        """The content type, once the batch's default has filled it in (``_with_type``)."""
        if self.content_type_id is None:
            raise ValueError(f"Object {self.pk} has no content type yet.")
        return self.content_type_id


UNSET: Any = object()


def batch_request_create(*, channel_id: int) -> BatchRequest:
    """A new batch request of the channel: status initialized, a fresh ``local_batch_id``, no objects."""
    return BatchRequest.objects.create(channel_id=channel_id)


def batch_request_update(
    *,
    batch_id: int,
    channel_id: int,
    status: str | None = None,
    objects: list[BatchObject] | None = None,
    content_type: ContentType | None = None,
    remote_batch_id: Any = UNSET,
    log_file: Any = UNSET,
) -> BatchRequest:
    """Move a batch request (CLIENTS.md §2.5) and apply the move to its integration actions.

    commit marks the objects processing; done marks the batch's processing objects success and
    then each object success or error; fail releases the batch's processing objects. Locks the
    batch, then the integration actions involved by pk (``integrations.locks``); retried on
    deadlocks. Raises NotFoundError, BatchRequestDoneError (406, any change to a done batch) and
    BatchRequestTransitionError (back to initialized).
    """

    def work() -> BatchRequest:
        batch = batch_request_lock(batch_id=batch_id, channel_id=channel_id)
        if batch is None:
            raise NotFoundError()
        if batch.status == BatchStatus.DONE:
            raise BatchRequestDoneError()
        if status == BatchStatus.INITIALIZED and batch.status != BatchStatus.INITIALIZED:
            raise BatchRequestTransitionError(
                f"A batch request cannot go back to initialized (it is {batch.status}).",
                status=batch.status,
            )
        if content_type is not None:
            batch.content_type = content_type
        default_type_id = batch.content_type_id
        resolved = [_with_type(item, default_type_id) for item in objects or []]
        _refuse_foreign(channel_id, resolved)
        if remote_batch_id is not UNSET:
            batch.remote_batch_id = remote_batch_id
        if log_file is not UNSET:
            batch.log_file = log_file
        target = status or batch.status
        if target == BatchStatus.COMMIT and resolved:
            _commit_objects(batch, resolved)
        elif target == BatchStatus.DONE:
            _done_objects(batch, resolved)
        elif target == BatchStatus.FAIL:
            _release(batch, resolved)
        if objects is not None:
            batch.batch_objects = _merged_objects(batch.batch_objects, [item.raw for item in objects])
        batch.status = target
        batch.save()
        return batch

    return atomic_with_retry(work)


def batch_requests_fail_stale(*, older_than: timedelta) -> list[int]:
    """Fail every open batch request unchanged for ``older_than`` (releasing its objects); return their ids.

    Each batch is failed in its own transaction, so a sweep never holds many locks at once.
    """
    cutoff = timezone.now() - older_than
    stale = list(
        BatchRequest.objects.filter(status__in=OPEN_BATCH_STATUSES, modified_date__lt=cutoff)
        .order_by("pk")
        .values_list("pk", "channel_id")
    )
    failed = []
    for pk, channel_id in stale:

        def work(pk=pk, channel_id=channel_id) -> bool:
            batch = batch_request_lock(batch_id=pk, channel_id=channel_id)
            if batch is None or batch.status not in OPEN_BATCH_STATUSES or batch.modified_date >= cutoff:
                return False
            _release(batch, [])
            batch.status = BatchStatus.FAIL
            batch.save()
            return True

        if atomic_with_retry(work):
            failed.append(pk)
    return failed


def _with_type(item: BatchObject, default_type_id: int | None) -> BatchObject:
    if item.content_type_id is not None:
        return item
    if default_type_id is None:
        raise ServiceValidationError(
            {"objects": [f"Object {item.pk} names no content_type and the batch has none; send content_type."]}
        )
    return BatchObject(item.pk, default_type_id, item.version_date, item.remote_id, item.failed_reason_type, item.raw)


def objects_outside_channel(*, channel_id: int, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The ``(content_type_id, object_id)`` pairs naming a channel-owned object (its model has a
    ``channel`` column: orders, items, cancellation requests) that is not this channel's or does
    not exist. One query per such content type; shared models (products, stock) are not checked."""
    by_type: dict[int, set[int]] = {}
    for content_type_id, object_id in pairs:
        by_type.setdefault(content_type_id, set()).add(object_id)
    outside: set[tuple[int, int]] = set()
    for content_type_id, object_ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not any(f.attname == "channel_id" for f in model._meta.concrete_fields):
            continue
        found = set(
            model._default_manager.filter(pk__in=sorted(object_ids), channel_id=channel_id).values_list("pk", flat=True)
        )
        outside |= {(content_type_id, pk) for pk in object_ids - found}
    return outside


def _refuse_foreign(channel_id: int, objects: list[BatchObject]) -> None:
    outside = objects_outside_channel(channel_id=channel_id, pairs=[(o.type_id, o.pk) for o in objects])
    errors = {
        str(index): {"pk": [f"No {ContentType.objects.get_for_id(o.type_id).model} {o.pk} in this channel."]}
        for index, o in enumerate(objects)
        if (o.type_id, o.pk) in outside
    }
    if errors:
        raise ServiceValidationError({"objects": errors})


def _merged_objects(stored: Any, sent: list[dict]) -> list[dict]:
    """The batch's objects after a call: what it had, with each (content_type, pk) sent replaced or added."""
    merged: dict[tuple, dict] = {}
    for item in [*(stored or []), *sent]:
        if isinstance(item, dict):
            merged[(str(item.get("content_type")), str(item.get("pk")))] = item
    return list(merged.values())


def _seqs(objects: list[BatchObject]) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Outbox positions per (content_type_id, object_id): the latest change, and the latest change
    whose version date is at or before the object's committed ``version_date`` (two queries)."""
    if not objects:
        return {}, {}
    pairs = Q()
    dated = Q()
    for item in objects:
        pairs |= Q(content_type_id=item.content_type_id, object_id=item.pk)
        if item.version_date is not None:
            dated |= Q(content_type_id=item.content_type_id, object_id=item.pk, version_date__lte=item.version_date)
    latest = {
        (row["content_type_id"], row["object_id"]): row["seq"]
        for row in Change.objects.filter(pairs).values("content_type_id", "object_id").annotate(seq=Max("id"))
    }
    synced = {}
    if dated:
        # Versions only grow with the sequence, so the latest dated row is the version the client read.
        synced = {
            (row["content_type_id"], row["object_id"]): row["seq"]
            for row in Change.objects.filter(dated).values("content_type_id", "object_id").annotate(seq=Max("id"))
        }
    return latest, synced


def _upsert_locked(batch: BatchRequest, objects: list[BatchObject]) -> dict[tuple[int, int], IntegrationAction]:
    """The channel's integration actions of ``objects`` and of the batch, created where missing, locked."""
    pairs = {(item.type_id, item.pk) for item in objects}
    IntegrationAction.objects.bulk_create(
        [
            IntegrationAction(
                channel_id=batch.channel_id, content_type_id=ct, object_id=pk, previous_exists=False, state={}
            )
            for ct, pk in sorted(pairs)
        ],
        ignore_conflicts=True,
    )
    locked = integration_actions_lock(
        channel_id=batch.channel_id, local_batch_id=batch.local_batch_id, objects=sorted(pairs)
    )
    return {(ia.content_type_id, ia.object_id): ia for ia in locked}


_IA_FIELDS = [
    "remote_id",
    "version_date",
    "local_batch_id",
    "status",
    "failed_reason_type",
    "synced_seq",
    "pending_seq",
    "previous_exists",
    "previous_status",
    "previous_version_date",
    "previous_local_batch_id",
    "previous_synced_seq",
    "previous_failed_reason_type",
    "modified_date",
]


def _apply(ia: IntegrationAction, item: BatchObject, *, status: str, latest: int, synced: int | None) -> None:
    if item.remote_id is not None:
        ia.remote_id = item.remote_id
    if item.version_date is not None:
        ia.version_date = item.version_date
    ia.synced_seq = latest if synced is None else synced
    ia.pending_seq = max(ia.pending_seq, latest)
    ia.status = status
    ia.failed_reason_type = item.failed_reason_type


def _objects_write(ias: Iterable[IntegrationAction]) -> None:
    now = timezone.now()
    rows = list({ia.pk: ia for ia in ias}.values())
    for ia in rows:
        ia.modified_date = now
    if rows:
        IntegrationAction.objects.bulk_update(rows, _IA_FIELDS)


def _commit_objects(batch: BatchRequest, objects: list[BatchObject]) -> None:
    """commit: every object's integration action processing in this batch (failed ones error)."""
    by_pair = _upsert_locked(batch, objects)
    latest, synced = _seqs(objects)
    changed = []
    for item in objects:
        pair = (item.type_id, item.pk)
        ia = by_pair[pair]
        if ia.local_batch_id != batch.local_batch_id:
            ia.previous_exists = ia.status is not None
            ia.previous_status = ia.status
            ia.previous_version_date = ia.version_date
            ia.previous_local_batch_id = ia.local_batch_id
            ia.previous_synced_seq = ia.synced_seq
            ia.previous_failed_reason_type = ia.failed_reason_type
            ia.local_batch_id = batch.local_batch_id
        status = IntegrationStatus.ERROR if item.failed_reason_type else IntegrationStatus.PROCESSING
        dated = synced.get(pair, 0) if item.version_date is not None else None
        _apply(ia, item, status=status, latest=latest.get(pair, 0), synced=dated)
        changed.append(ia)
    _objects_write(changed)


def _done_objects(batch: BatchRequest, objects: list[BatchObject]) -> None:
    """done: the batch's processing objects success, then each sent object success or error."""
    by_pair = _upsert_locked(batch, objects)
    changed = []
    for ia in by_pair.values():
        if ia.local_batch_id == batch.local_batch_id and ia.status == IntegrationStatus.PROCESSING:
            ia.status = IntegrationStatus.SUCCESS
            changed.append(ia)
    changed += _results(batch, objects, by_pair)
    _objects_write(changed)


def _results(
    batch: BatchRequest, objects: list[BatchObject], by_pair: dict[tuple[int, int], IntegrationAction]
) -> list[IntegrationAction]:
    """Apply per-object outcomes (success / error, remote ids, versions); an object another open
    batch is processing is left to that batch."""
    latest, synced = _seqs(objects)
    changed = []
    for item in objects:
        pair = (item.type_id, item.pk)
        ia = by_pair[pair]
        if ia.status == IntegrationStatus.PROCESSING and ia.local_batch_id not in (None, batch.local_batch_id):
            continue
        status = IntegrationStatus.ERROR if item.failed_reason_type else IntegrationStatus.SUCCESS
        dated: int | None
        if item.version_date is not None:
            dated = synced.get(pair, 0)
        else:  # no version given: the one committed in this batch, else the latest
            dated = ia.synced_seq if ia.local_batch_id == batch.local_batch_id else None
        ia.local_batch_id = batch.local_batch_id
        _apply(ia, item, status=status, latest=latest.get(pair, 0), synced=dated)
        changed.append(ia)
    return changed


def _release(batch: BatchRequest, objects: list[BatchObject]) -> None:
    """fail: the batch's processing objects get their state from before the batch back (never
    synced for those it created), so they are offered again; failures sent are noted on them."""
    reasons = {(item.type_id, item.pk): item.failed_reason_type for item in objects if item.failed_reason_type}
    locked = integration_actions_lock(channel_id=batch.channel_id, local_batch_id=batch.local_batch_id)
    changed = []
    for ia in locked:
        if ia.local_batch_id != batch.local_batch_id or ia.status != IntegrationStatus.PROCESSING:
            continue
        ia.status = ia.previous_status
        ia.version_date = ia.previous_version_date
        ia.local_batch_id = ia.previous_local_batch_id
        ia.synced_seq = ia.previous_synced_seq
        ia.failed_reason_type = reasons.get((ia.content_type_id, ia.object_id), ia.previous_failed_reason_type)
        changed.append(ia)
    _objects_write(changed)


# --- Integration actions -----------------------------------------------------------------------


def _synced_seq_for(*, content_type_id: int, object_id: int, version_date: datetime | None) -> tuple[int, int]:
    """(synced_seq, pending_seq) of an object whose version ``version_date`` the channel has (None: the latest)."""
    item = BatchObject(object_id, content_type_id, version_date, None, None, {})
    latest, synced = _seqs([item])
    pair = (content_type_id, object_id)
    newest = latest.get(pair, 0)
    return (newest if version_date is None else synced.get(pair, 0)), newest


def integration_action_create(
    *,
    channel_id: int,
    content_type: ContentType,
    object_id: int,
    remote_id: str | None = None,
    version_date: datetime | None = None,
    state: dict | None = None,
    status: str | None = IntegrationStatus.SUCCESS,
) -> IntegrationAction:
    """Link an object to its marketplace id for the channel (a setup step: status success unless
    given). Raises ServiceValidationError when the channel already has one for the object or the
    object belongs to another channel."""
    _refuse_foreign_object(channel_id, content_type, object_id)
    synced_seq, pending_seq = _synced_seq_for(
        content_type_id=content_type.pk, object_id=object_id, version_date=version_date
    )
    ia = IntegrationAction(
        channel_id=channel_id,
        content_type=content_type,
        object_id=object_id,
        remote_id=remote_id,
        version_date=version_date,
        state=state if state is not None else {},
        status=status,
        synced_seq=synced_seq,
        pending_seq=pending_seq,
    )
    try:
        with transaction.atomic():
            ia.save()
    except IntegrityError:
        existing = (
            IntegrationAction.objects.filter(channel_id=channel_id, content_type=content_type, object_id=object_id)
            .values_list("pk", flat=True)
            .first()
        )
        raise ServiceValidationError(
            {
                "non_field_errors": [
                    f"The channel already has an integration action for {content_type.model} {object_id} "
                    f"(pk {existing}); PATCH that one."
                ]
            }
        ) from None
    return ia


def _refuse_foreign_object(channel_id: int, content_type: ContentType, object_id: int) -> None:
    if objects_outside_channel(channel_id=channel_id, pairs=[(content_type.pk, object_id)]):
        raise ServiceValidationError({"object_id": [f"No {content_type.model} {object_id} in this channel."]})


@transaction.atomic
def integration_action_update(*, ia_id: int, channel_id: int, data: Mapping[str, Any]) -> IntegrationAction:
    """Change an integration action's remote id, version, state, status or object. A new
    ``version_date`` moves ``synced_seq`` to the change of that version. Locks the row."""
    ia = integration_action_lock(ia_id=ia_id, channel_id=channel_id)
    if ia is None:
        raise NotFoundError()
    if "object_id" in data or "content_type" in data:
        _refuse_foreign_object(
            channel_id, data.get("content_type", ia.content_type), data.get("object_id", ia.object_id)
        )
    for name in ("remote_id", "state", "status", "object_id", "content_type", "version_date"):
        if name in data:
            setattr(ia, name, data[name] if name != "state" else (data[name] if data[name] is not None else {}))
    if {"version_date", "object_id", "content_type"} & set(data):
        ia.synced_seq, ia.pending_seq = _synced_seq_for(
            content_type_id=ia.content_type_id, object_id=ia.object_id, version_date=ia.version_date
        )
    try:
        with transaction.atomic():
            ia.save()
    except IntegrityError:
        raise ServiceValidationError(
            {"object_id": ["The channel already has an integration action for this object."]}
        ) from None
    return ia


@transaction.atomic
def integration_action_delete(*, ia_id: int, channel_id: int) -> None:
    """Remove an integration action (the object is no longer on the marketplace). Raises NotFoundError."""
    deleted, _ = IntegrationAction.objects.filter(pk=ia_id, channel_id=channel_id).delete()
    if not deleted:
        raise NotFoundError()


# --- Error reports -----------------------------------------------------------------------------


def error_report_create(*, channel_id: int, kind: str = ErrorReportKind.GENERIC, **fields: Any) -> ErrorReport:
    """Store a channel app's report (generic fields, or a per-kind report's whole body in ``body``)."""
    return ErrorReport.objects.create(channel_id=channel_id, kind=kind, **fields)
