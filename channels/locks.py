"""Row locks for channel writes: an object's integration mapping.

A mapping is locked after the rows of the object it maps (``orders.locks`` for orders and items).
"""

from django.contrib.contenttypes.models import ContentType

from channels.models import IntegrationMapping


def integration_mapping_lock(
    *, content_type: ContentType, object_id: int, integration_type: str
) -> IntegrationMapping | None:
    """Lock and read the object's mapping of ``integration_type`` (FOR UPDATE), or None when it has none."""
    return (
        IntegrationMapping.objects.select_for_update()
        .filter(content_type=content_type, object_id=object_id, integration_type=integration_type)
        .first()
    )
