"""Reads of the integrations app."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet, Subquery

from integrations import queries
from integrations.models import BatchRequest, Change, ErrorReport, IntegrationAction, IntegrationStatus
from omnitron.db import BIGINT_MAX
from omnitron.prepared import PreparedCount, PreparedValues

# The apps whose models integration actions, batches and error reports may name (model names unique).
CONTENT_TYPE_APPS = ("channels", "catalog", "orders", "integrations")


def content_type_for(model_name: str) -> ContentType | None:
    """The content type named ``model_name`` (a unique model name, CLIENTS.md §2.3), or None."""
    if not isinstance(model_name, str) or not model_name:
        return None
    return (
        ContentType.objects.filter(app_label__in=CONTENT_TYPE_APPS, model=model_name.strip().lower())
        .order_by("id")
        .first()
    )


def _updates(*, channel_id: int, content_type_id: int, processing: str, candidates: QuerySet | None) -> QuerySet:
    """The "updates" selection (``processing`` is the status left out, an argument so that the
    query compiles with it as a parameter of its own)."""
    pending = IntegrationAction.objects.filter(
        channel_id=channel_id, content_type_id=content_type_id, pending_seq__gt=F("synced_seq")
    ).exclude(status=processing)
    if candidates is not None:
        # One probe per pending row (a correlated scalar subquery is never made a join or
        # hashed): a page costs its own rows wherever they stand among the candidates, where
        # ``object_id IN (candidates)`` let the planner merge-join the whole candidate list.
        probe = Subquery(candidates.order_by().filter(pk=OuterRef("object_id")).values("pk")[:1])
        pending = pending.annotate(candidate=probe).filter(candidate__isnull=False)
    return pending.order_by("object_id").values_list("object_id", flat=True)


def _feed(*, channel_id: int, model: type[Model], mode: str, candidates: QuerySet | None) -> QuerySet:
    content_type = ContentType.objects.get_for_model(model)
    if mode == "updates":
        return _updates(
            channel_id=channel_id,
            content_type_id=content_type.pk,
            processing=IntegrationStatus.PROCESSING,
            candidates=candidates,
        )
    if mode == "inserts":
        if candidates is None:
            raise ValueError("inserts need candidates")
        linked = IntegrationAction.objects.filter(
            channel_id=channel_id, content_type=content_type, object_id=OuterRef("pk"), status__isnull=False
        )
        return candidates.filter(~Exists(linked)).order_by("pk").values_list("pk", flat=True)
    raise ValueError(f"unknown feed mode {mode!r}")


class UpdatesFeed:
    """An "updates" feed (``feed_object_ids``) compiled once, for candidates of one shape.

    ``candidates(*args)`` narrows the pending objects as ``feed_object_ids``' ``candidates`` does
    (None: every pending object); ``kinds`` says which of its arguments are ``IN`` lists, and each
    call gives their values. The statements are the ORM's for the same candidates, with the page's
    ``LIMIT``/``OFFSET`` bound (``tests/catalog/test_prepared_feeds.py``).
    """

    def __init__(self, candidates: Callable[..., QuerySet] | None = None, *, kinds: tuple[str, ...] = ()):
        def build(channel_id: int, content_type_id: int, processing: str, *args) -> QuerySet:
            narrowed = None if candidates is None else candidates(*args)
            return _updates(
                channel_id=channel_id, content_type_id=content_type_id, processing=processing, candidates=narrowed
            )

        kinds = ("value", "value", "value", *kinds)
        self._ids = PreparedValues(build, kinds=kinds, paged=True)
        self._count = PreparedCount(build, kinds=kinds)

    @staticmethod
    def _arguments(channel_id: int, model: type[Model], args: tuple) -> tuple:
        return (channel_id, ContentType.objects.get_for_model(model).pk, IntegrationStatus.PROCESSING, *args)

    def object_ids(
        self, *, channel_id: int, model: type[Model], args: tuple = (), limit: int, offset: int = 0
    ) -> list[int]:
        """``feed_object_ids(mode="updates")`` for these candidates."""
        rows = self._ids.values_list(*self._arguments(channel_id, model, args), limit=limit, offset=offset)
        return [object_id for (object_id,) in rows]

    def object_count(self, *, channel_id: int, model: type[Model], args: tuple = ()) -> int:
        """``feed_object_count(mode="updates")`` for these candidates."""
        return self._count.count(*self._arguments(channel_id, model, args))


# Every pending object of a model: the "updates" feeds without candidates (orders, cancellation requests).
_EVERY_UPDATE = UpdatesFeed()


def feed_object_ids(
    *,
    channel_id: int,
    model: type[Model],
    mode: str,
    candidates: QuerySet | None = None,
    limit: int,
    offset: int = 0,
) -> list[int]:
    """Object ids a channel's "updates" or "inserts" feed offers, ordered by object id.

    updates: objects with an integration action of this channel whose ``pending_seq`` passed its
    ``synced_seq`` (walks the partial index ``ia_pending_object_idx`` in object id order, so a page
    reads its own rows and the ones it skips, never the synced ones) and that is not processing in an
    open batch (done and fail always end processing); ``candidates`` optionally narrows them.
    inserts: ``candidates`` (a queryset of ``model`` the caller restricted) without an integration
    action of this channel that has a status (never synced, or released by a failed batch).
    Without candidates, "updates" runs compiled once (``UpdatesFeed``).
    """
    if mode == "updates" and candidates is None:
        return _EVERY_UPDATE.object_ids(channel_id=channel_id, model=model, limit=limit, offset=offset)
    feed = _feed(channel_id=channel_id, model=model, mode=mode, candidates=candidates)
    return list(feed[offset : offset + limit])


def feed_object_count(*, channel_id: int, model: type[Model], mode: str, candidates: QuerySet | None = None) -> int:
    """How many objects ``feed_object_ids`` offers in all (one COUNT over the same rows)."""
    if mode == "updates" and candidates is None:
        return _EVERY_UPDATE.object_count(channel_id=channel_id, model=model)
    return _feed(channel_id=channel_id, model=model, mode=mode, candidates=candidates).count()


# Rules for ``integration_actions/deleted/?model=<name>``: each returns the channel's integration
# actions of that model whose object is gone from the channel. The app that owns the model
# registers its rule (catalog registers ``product`` in its AppConfig.ready), so integrations never
# imports it.
_DELETED_RULES: dict[str, Callable[..., QuerySet[IntegrationAction]]] = {}


def deleted_rule_register(*, model_name: str, rule: Callable[..., QuerySet[IntegrationAction]]) -> None:
    """Register ``rule(channel_id=...)`` as the ``deleted/`` selection of ``model_name``."""
    _DELETED_RULES[model_name] = rule


def deleted_rule_models() -> list[str]:
    return sorted(_DELETED_RULES)


def integration_action_deleted_list(*, channel_id: int, model_name: str) -> QuerySet[IntegrationAction] | None:
    """The channel's integration actions of ``model_name`` whose object left the channel; None
    when no rule exists for that model."""
    rule = _DELETED_RULES.get(model_name)
    if rule is None:
        return None
    return rule(channel_id=channel_id).select_related("channel", "content_type").order_by("id")


def batch_request_list(*, channel_id: int) -> QuerySet[BatchRequest]:
    """The channel's batch requests, newest first, with their content type."""
    return BatchRequest.objects.filter(channel_id=channel_id).select_related("content_type").order_by("-id")


def integration_action_list(*, channel_id: int) -> QuerySet[IntegrationAction]:
    """The channel's integration actions with their channel and content type."""
    return (
        IntegrationAction.objects.filter(channel_id=channel_id).select_related("channel", "content_type").order_by("id")
    )


def content_objects_for(ias: Iterable[IntegrationAction]) -> dict[tuple[int, int], dict[str, Any]]:
    """The linked objects of integration actions as ``{pk, id, modified_date}``, keyed by
    (content_type_id, object_id): one query per content type, whatever the number of rows."""
    wanted: dict[int, set[int]] = {}
    for ia in ias:
        wanted.setdefault(ia.content_type_id, set()).add(ia.object_id)
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for content_type_id, object_ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        dated = any(f.name == "modified_date" for f in model._meta.concrete_fields)
        columns = ["pk", "modified_date"] if dated else ["pk"]
        for row in model._default_manager.filter(pk__in=sorted(object_ids)).values(*columns):
            found[(content_type_id, row["pk"])] = {
                "pk": row["pk"],
                "id": row["pk"],
                "modified_date": row.get("modified_date"),
            }
    return found


def error_report_list(*, channel_id: int) -> QuerySet[ErrorReport]:
    return ErrorReport.objects.filter(channel_id=channel_id).order_by("-id")


@dataclass(frozen=True)
class ChangeCursor:
    """A position in a channel's change stream: after the row (txid, id)."""

    txid: int
    id: int

    def __str__(self) -> str:
        return f"{self.txid}-{self.id}"

    @classmethod
    def parse(cls, value: str) -> "ChangeCursor | None":
        txid, sep, seq = (value or "").partition("-")
        if not sep or not (txid.isascii() and txid.isdigit() and seq.isascii() and seq.isdigit()):
            return None
        if len(txid) > 19 or len(seq) > 19 or int(txid) > BIGINT_MAX or int(seq) > BIGINT_MAX:
            return None
        return cls(int(txid), int(seq))


def change_stream_page(*, channel_id: int, after: ChangeCursor | None, limit: int) -> list[Change]:
    """The channel's outbox rows after ``after``, in (txid, id) order, at most ``limit``.

    On PostgreSQL only rows of transactions older than the oldest one still running
    (``txid < pg_snapshot_xmin``) are given, plus the reader's own transaction's: the others are
    all committed or rolled back, so no row can later appear before the returned cursor. Walks
    the index (channel, txid, id).
    """
    rows = Change.objects.filter(channel_id=channel_id).select_related("content_type")
    bounds = queries.snapshot_bounds()
    if bounds is not None:
        xmin, own = bounds
        rows = rows.filter(Q(txid__lt=xmin) | Q(txid=own)) if own is not None else rows.filter(txid__lt=xmin)
    if after is not None:
        rows = rows.filter(Q(txid__gt=after.txid) | Q(txid=after.txid, id__gt=after.id))
    return list(rows.order_by("txid", "id")[:limit])
