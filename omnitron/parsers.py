"""orjson-based JSON parser with a body-size limit and refusal of NUL characters."""

from typing import Any

import orjson
from django.conf import settings
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser


class PayloadTooLarge(APIException):
    status_code = 413
    default_detail = "Request body is too large."
    default_code = "payload_too_large"


def contains_nul(value: Any) -> bool:
    """Whether any string (key or value) inside ``value`` contains a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(v) for v in value)
    return False


class ORJSONParser(BaseParser):
    """Parse JSON with orjson, which rejects NaN/Infinity and nesting deeper than 1024 levels.

    Bodies larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answer 413; strings containing NUL
    (which PostgreSQL cannot store) answer 400.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if request is not None and limit is not None:
            meta = request.META
            try:
                declared = int(meta.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > limit:
                raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if b"\\u0000" in raw and contains_nul(data):
            raise ParseError("JSON strings must not contain NUL (\\u0000) characters.")
        return data
