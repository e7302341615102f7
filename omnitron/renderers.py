"""orjson-based JSON renderer: the hot list endpoints hand it plain dicts."""

from decimal import Decimal
from typing import Any

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer


def json_default(value: Any) -> Any:
    """Serialise what orjson does not know: Decimal (as its string), lazy translations."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def dumps(data: Any) -> bytes:
    """Serialise ``data`` the way every API response is serialised (UTC as ``Z``)."""
    return orjson.dumps(data, default=json_default, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return dumps(data)
