"""The API's routes as its OpenAPI schema documents them, for tests that cover every route."""

import re
from functools import cache

import orjson

from omnitron.renderers import dumps

OPERATION_METHODS = ("get", "post", "put", "patch", "delete")


@cache
def openapi() -> dict:
    """The generated OpenAPI document (as JSON, the way clients read it)."""
    from drf_spectacular.generators import SchemaGenerator

    return orjson.loads(dumps(SchemaGenerator().get_schema(request=None, public=True)))


def documented_methods(path: str) -> set[str]:
    return {method.upper() for method in openapi()["paths"][path] if method in OPERATION_METHODS}


def sorted_lists() -> list[str]:
    """Paths whose GET documents a ``sort`` parameter."""
    return [
        path
        for path, item in openapi()["paths"].items()
        if any(parameter["name"] == "sort" for parameter in item.get("get", {}).get("parameters", []))
    ]


def sort_parameter(path: str) -> dict:
    return next(p for p in openapi()["paths"][path]["get"]["parameters"] if p["name"] == "sort")


def fill(path: str, **values) -> str:
    """``/api/v1/channel/{channel_id}/orders/{id}/`` with the given values for its placeholders."""
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), path)
