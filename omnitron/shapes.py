"""Response shapes declared once: the columns a shape reads, its fast builder and its schema.

A ``Shape`` is an ordered list of ``Field``s. A field names its response key, its JSON kind and
nullability (and help text), and where its value comes from: a ``values()`` column, formatted by
its kind (money, rates), or a function of the row and the page's context (nested objects,
computed amounts). From one declaration come:

- ``shape.columns``: the columns the selector reads (``values(*shape.columns)``);
- ``shape.build(row, context)``: the response dict, by a function compiled once from the
  declaration into a single dict literal, as fast as the hand-written builders it replaces;
- ``omnitron.shape_serializers.shape_serializer(shape)``: the DRF serializer drf-spectacular
  documents (it never runs on the fast paths).

Why not pydantic or msgspec: the rows come from the database already typed; what a response needs
is a dict with its keys in order, written by orjson. pydantic validates and copies every field of
every row: even with every field typed ``Any`` and no money formatting, ``TypeAdapter(list[Model])``
validate + dump of 1000 flat item rows took twice as long as this builder (41 ms against 21 ms on
the shared development machine). msgspec is not installed; its ``Struct`` would replace the orjson
renderer and the DRF-serializer schema bridge drf-spectacular already has. This module imports only
the standard library, so the floor (``bench/floor.py``) runs the same builders.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

TWO_PLACES = Decimal("0.01")


def _decimal(value: Decimal | int | float | str) -> Decimal:
    """Decimals pass through; ints, floats and numeric strings go through ``str`` (no binary noise)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def money_str(value: Decimal | int | float | str | None) -> str | None:
    """``Decimal("599.9")`` → ``"599.90"``; None stays None."""
    if value is None:
        return None
    return str(_decimal(value).quantize(TWO_PLACES))


def rate_str(value: Decimal | int | float | str | None) -> str | None:
    """``Decimal("20.0000")`` → ``"20.00"``, ``Decimal("8.1250")`` → ``"8.125"``."""
    if value is None:
        return None
    value = _decimal(value)
    rounded = value.quantize(TWO_PLACES)
    if rounded == value:
        return str(rounded)
    return str(value.normalize())


def blank_to_none(value: Any) -> Any:
    """``""`` (and None) → None: text columns stored blank that the API shows as null."""
    return value or None


@dataclass(frozen=True)
class Kind:
    """A JSON kind of value; ``format`` turns the column's Python value into it (None: as is)."""

    name: str
    format: Callable[[Any], Any] | None = None


INTEGER = Kind("integer")
STRING = Kind("string")
BOOLEAN = Kind("boolean")
DATETIME = Kind("datetime")  # a datetime, written by orjson as ISO 8601 with Z
DATE = Kind("date")
JSON = Kind("json")  # any JSON value (objects of the JSONField columns)
MONEY = Kind("money", money_str)  # a decimal string with two places
RATE = Kind("rate", rate_str)  # a decimal string, two places unless more are significant
URL = Kind("url")
EMAIL = Kind("email")
IP_ADDRESS = Kind("ip_address")
OBJECT = Kind("object")  # a nested shape (``Field.shape``)

_AS_IS = object()


@dataclass(frozen=True)
class Field:
    """One response key. Its value is ``format(row[column])`` (column: the key), ``value(row, context)``,
    or with ``lookup`` the object ``context.<lookup>`` holds for ``row[column]`` (``null``: None when
    it holds none; ``many``: a list, empty when none).

    ``reads`` names the columns a ``value`` function reads; ``instance`` the dotted attribute a model
    instance holds the value in, for the documented serializer of a ``lookup`` field (which reads
    no column of its own). ``choices`` (pairs of value and label)
    and ``schema`` (the dotted path of a DRF field or serializer class, for a type this module does
    not know) only shape the documented schema.
    """

    key: str
    kind: Kind = STRING
    column: str | None = None
    null: bool = False
    help: str = ""
    format: Callable[[Any], Any] | object | None = _AS_IS
    value: Callable[[dict[str, Any], Any], Any] | None = None
    shape: "Shape | None" = None
    many: bool = False
    choices: Iterable[tuple[str, str]] | None = None
    schema: str | None = None
    reads: tuple[str, ...] = ()
    lookup: str | None = None
    instance: str | None = None

    @property
    def source(self) -> str:
        return self.column or self.key

    @property
    def formatter(self) -> Callable[[Any], Any] | None:
        return self.kind.format if self.format is _AS_IS else self.format  # type: ignore[return-value]


def nested(key: str, shape: "Shape", value: Callable[[dict[str, Any], Any], Any] | None = None, **options) -> Field:
    """A field holding a ``shape`` object (``many=True``: a list of them): ``value(row, context)``, the
    object looked up in the context (``lookup=``), or else built from the same row (``shape.build``)."""
    if value is None and "lookup" not in options:
        return Field(key, OBJECT, shape=shape, value=shape.build, reads=shape.columns, **options)
    return Field(key, OBJECT, shape=shape, value=value, **options)


@dataclass
class Shape:
    """An ordered set of fields; ``name`` names its schema component (``OrderItem`` → ``OrderItemSerializer``)."""

    name: str
    fields: list[Field]
    doc: str = ""
    documented_as: "Shape | None" = None
    columns: tuple[str, ...] = field(init=False)
    keys: tuple[str, ...] = field(init=False)
    build: Callable[..., dict[str, Any]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        keys = [spec.key for spec in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}: a key is declared twice")
        self.keys = tuple(keys)
        columns: dict[str, None] = {}
        for spec in self.fields:
            if spec.value is None:
                columns[spec.source] = None
            for column in spec.reads:
                columns[column] = None
        self.columns = tuple(columns)
        self.build = self._compile()

    def _compile(self) -> Callable[..., dict[str, Any]]:
        """``def build(row, context=None): return {key: expression, ...}``, one expression per field."""
        namespace: dict[str, Any] = {}
        entries = []
        for index, spec in enumerate(self.fields):
            if spec.value is not None:
                namespace[f"value_{index}"] = spec.value
                expression = f"value_{index}(row, context)"
            elif spec.lookup is not None:
                lookup, column = f"context.{spec.lookup}", f"row[{spec.source!r}]"
                if spec.many:
                    expression = f"{lookup}.get({column}, [])"
                elif spec.null:
                    expression = f"{lookup}.get({column})"
                else:
                    expression = f"{lookup}[{column}]"
            else:
                expression = f"row[{spec.source!r}]"
                if spec.formatter is not None:
                    namespace[f"format_{index}"] = spec.formatter
                    expression = f"format_{index}({expression})"
            entries.append(f"{spec.key!r}: {expression}")
        source = "def build(row, context=None):\n    return {" + ", ".join(entries) + "}\n"
        # Only declared keys and column names (written as repr literals) reach the source.
        code = compile(source, f"<shape {self.name}>", "exec")
        exec(code, namespace)  # noqa: S102  # nosec B102
        return namespace["build"]

    def derive(
        self, name: str, *, replace_fields: Iterable[Field] = (), add: Iterable[Field] = (), doc: str = ""
    ) -> "Shape":
        """Another shape from this one: fields replaced in place (by key) and others added at the end."""
        replacements = {spec.key: spec for spec in replace_fields}
        fields = [replacements.pop(spec.key, spec) for spec in self.fields]
        if replacements:
            raise ValueError(f"{name}: no field {sorted(replacements)} to replace")
        return Shape(name, [*fields, *add], doc=doc or self.doc)

    def reading(self, columns: dict[str, str]) -> "Shape":
        """The same shape read from other columns (``{key: column}``), documented as this one."""
        fields = [replace(spec, column=columns.get(spec.key, spec.column)) for spec in self.fields]
        return Shape(self.name, fields, doc=self.doc, documented_as=self)
