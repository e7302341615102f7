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


INT64_MIN, UINT64_MAX = -(2**63), 2**64 - 1
OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _big_ints_as_floats(value: Any) -> Any:
    """``value`` with integers beyond 64 bits (which orjson cannot write) as floats."""
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= UINT64_MAX:
        try:
            return float(value)
        except OverflowError:
            return str(value)
    if isinstance(value, dict):
        return {key: _big_ints_as_floats(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_big_ints_as_floats(item) for item in value]
    return value


def dumps(data: Any) -> bytes:
    """Serialise ``data`` the way every API response is serialised (UTC as ``Z``).

    A JSON field may hold an integer beyond 64 bits: orjson reads such a number as a float, but
    PostgreSQL's jsonb gives it back as an integer. It is written as the float it was read as.
    """
    try:
        return orjson.dumps(data, default=json_default, option=OPTIONS)
    except orjson.JSONEncodeError as exc:
        if "64-bit" not in str(exc):
            raise
        return orjson.dumps(_big_ints_as_floats(data), default=json_default, option=OPTIONS)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return dumps(data)
