"""Row locks of the integrations app, always taken in one order: the batch request, then
integration actions by pk (one statement for all of them).

A writer that changes an object's outbox state (``changes_record``) locks only the objects'
integration actions, by pk too, after its own rows (orders, items, stock), so the two kinds of
writer queue behind each other instead of deadlocking.
"""

from collections.abc import Iterable

from django.db.models import Q

from integrations.models import BatchRequest, IntegrationAction


def batch_request_lock(*, batch_id: int, channel_id: int) -> BatchRequest | None:
    """Lock and read the channel's batch request, or None when there is none with that id."""
    return BatchRequest.objects.select_for_update().filter(pk=batch_id, channel_id=channel_id).first()


def integration_actions_lock(
    *, channel_id: int, local_batch_id=None, objects: Iterable[tuple[int, int]] = ()
) -> list[IntegrationAction]:
    """Lock, in pk order, the channel's integration actions of a batch (``local_batch_id``) and of
    the ``(content_type_id, object_id)`` pairs; return them."""
    by_type: dict[int, set[int]] = {}
    for content_type_id, object_id in objects:
        by_type.setdefault(content_type_id, set()).add(object_id)
    condition = Q()
    if local_batch_id is not None:
        condition |= Q(local_batch_id=local_batch_id)
    for content_type_id, object_ids in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=sorted(object_ids))
    if not condition:
        return []
    return list(IntegrationAction.objects.select_for_update().filter(condition, channel_id=channel_id).order_by("pk"))


def integration_action_lock(*, ia_id: int, channel_id: int) -> IntegrationAction | None:
    """Lock and read one of the channel's integration actions, or None when there is none."""
    return IntegrationAction.objects.select_for_update().filter(pk=ia_id, channel_id=channel_id).first()
