"""The documented schema of a ``Shape``: a DRF serializer class generated from its declaration.

drf-spectacular documents the class (component name: the shape's name); no request runs it on the
fast paths. Column fields get ``source`` (``order__number`` → ``order.number``) so the class also
renders a model instance, as the tests comparing both representations do.
"""

from typing import Any

from django.utils.module_loading import import_string
from rest_framework import serializers

from omnitron.fields import MoneyField, RateField
from omnitron.shapes import Field, Shape

_FIELD_CLASSES: dict[str, type[serializers.Field]] = {
    "integer": serializers.IntegerField,
    "string": serializers.CharField,
    "boolean": serializers.BooleanField,
    "datetime": serializers.DateTimeField,
    "date": serializers.DateField,
    "json": serializers.JSONField,
    "money": MoneyField,
    "rate": RateField,
    "url": serializers.URLField,
    "email": serializers.EmailField,
    "ip_address": serializers.IPAddressField,
}
_SERIALIZERS: dict[int, type[serializers.Serializer]] = {}


# No docstring: drf-spectacular would show it for every shape without one of its own.
class ShapeSerializer(serializers.Serializer):
    # A subclass may narrow a generated serializer with ``Meta.fields``.

    class Meta:
        fields: list[str] | None = None

    def get_fields(self):
        fields = super().get_fields()
        keys = self.Meta.fields
        return fields if keys is None else {key: fields[key] for key in keys}


def _schema_field(spec: Field) -> serializers.Field:
    options: dict[str, Any] = {"read_only": True}
    if spec.help:
        options["help_text"] = spec.help
    if spec.null:
        options["allow_null"] = True
    if spec.instance is not None:
        options["source"] = spec.instance
    elif spec.value is None and spec.lookup is None and spec.source != spec.key:
        options["source"] = spec.source.replace("__", ".")
    if spec.shape is not None:
        return shape_serializer(spec.shape)(many=spec.many, **options)
    if spec.schema is not None:
        return import_string(spec.schema)(**options)
    if spec.choices is not None:
        return serializers.ChoiceField(choices=list(spec.choices), **options)
    return _FIELD_CLASSES[spec.kind.name](**options)


def shape_serializer(shape: Shape) -> type[serializers.Serializer]:
    """The serializer class documenting ``shape`` (one class per shape, named ``<name>Serializer``)."""
    if shape.documented_as is not None:
        return shape_serializer(shape.documented_as)
    cached = _SERIALIZERS.get(id(shape))
    if cached is not None:
        return cached
    attributes: dict[str, Any] = {spec.key: _schema_field(spec) for spec in shape.fields}
    attributes["__doc__"] = shape.doc
    attributes["__module__"] = __name__
    attributes["Meta"] = type("Meta", (), {"fields": list(shape.keys)})
    serializer: type[serializers.Serializer] = type(f"{shape.name}Serializer", (ShapeSerializer,), attributes)
    _SERIALIZERS[id(shape)] = serializer
    return serializer
