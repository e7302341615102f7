"""Reads of the integrations app."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet

from integrations.models import IntegrationAction, IntegrationStatus

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


def feed_object_ids(
    *, channel_id: int, model: type[Model], mode: str, candidates: QuerySet | None = None, limit: int
) -> list[int]:
    """Object ids a channel's "updates" or "inserts" feed offers, ordered by object id.

    updates: objects with an integration action of this channel whose ``pending_seq`` passed its
    ``synced_seq`` (walks the partial index) and that is not processing in an open batch.
    inserts: ``candidates`` (a queryset of ``model`` the caller restricted) without a synced or
    processing integration action of this channel (never synced or released by a failed batch).
    """
    content_type = ContentType.objects.get_for_model(model)
    if mode == "updates":
        pending = IntegrationAction.objects.filter(
            channel_id=channel_id, content_type=content_type, pending_seq__gt=F("synced_seq")
        ).exclude(status=IntegrationStatus.PROCESSING)
        if candidates is not None:
            pending = pending.filter(object_id__in=candidates.values("pk"))
        return list(pending.order_by("object_id").values_list("object_id", flat=True)[:limit])
    if mode == "inserts":
        if candidates is None:
            raise ValueError("inserts need candidates")
        linked = IntegrationAction.objects.filter(
            channel_id=channel_id, content_type=content_type, object_id=OuterRef("pk")
        ).filter(Q(status__isnull=False) | Q(local_batch_id__isnull=False))
        return list(candidates.filter(~Exists(linked)).order_by("pk").values_list("pk", flat=True)[:limit])
    raise ValueError(f"unknown feed mode {mode!r}")
