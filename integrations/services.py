"""Writes of the integrations app: the change outbox, batch requests, integration actions, error reports."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from integrations import queries


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
    rows = [(c.object_id, c.channel_id, c.version_date, c.kind) for c in changes]
    if not rows:
        return
    content_type_id = ContentType.objects.get_for_model(model).pk
    queries.changes_insert(content_type_id=content_type_id, rows=rows, now=timezone.now())
    queries.pending_seq_update(content_type_id=content_type_id, object_ids=sorted({r[0] for r in rows}))
