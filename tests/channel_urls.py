"""URLs of the channel-scoped endpoints, as the tests call them."""


def channel_url(channel_id: int, resource: str, pk: int | None = None) -> str:
    """``/api/v1/channel/{channel_id}/{resource}/``, or the detail URL of ``pk``."""
    base = f"/api/v1/channel/{channel_id}/{resource}/"
    return f"{base}{pk}/" if pk else base
