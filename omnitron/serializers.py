"""Serializers for the auth endpoints, and plumbing shared by the apps' serializers."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from omnitron.db import BIGINT_MAX
from omnitron.unknown_input import UnknownFieldsMixin

# Mixins are typed against the class they go on; at run time they stay plain mixins.
if TYPE_CHECKING:
    _SerializerBase = serializers.Serializer
else:
    _SerializerBase = object


class LoginInputSerializer(UnknownFieldsMixin, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})

    def validate(self, attrs):
        user = authenticate(request=self.context.get("request"), username=attrs["username"], password=attrs["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]}, code="authorization"
            )
        attrs["user"] = user
        return attrs


class LoginOutputSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The API token; send it as `Authorization: Token <key>`.")


class IndexedListSerializer(serializers.ListSerializer):
    """A nested list whose errors come back as a list indexed like the input, ``{}`` for valid
    entries (``[{}, {"price": [...]}]``): the shape Omnitron clients read, which DRF 3.18 replaced
    by ``{"1": {...}}`` for lists. Use it as ``Meta.list_serializer_class``."""

    errors_as_list = True  # read by omnitron.unknown_input for the errors of strict handling

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail: Any = exc.detail  # keyed by int index for a list (DRF 3.18); the stubs know only str keys
            if isinstance(detail, dict) and detail and all(isinstance(index, int) for index in detail):
                raise serializers.ValidationError([detail.get(index, {}) for index in range(len(data))]) from None
            raise


def field_copy(field: serializers.Field) -> serializers.Field:
    """An unbound copy of a declared field: its own instance state, sharing the immutable parts
    (choices, validators, error messages) with the declaration; children are copied likewise."""
    clone = object.__new__(type(field))  # what copy.copy does, without its generic dispatch
    clone.__dict__.update(field.__dict__)
    if isinstance(field, serializers.BaseSerializer):
        clone.__dict__.pop("fields", None)  # a cached_property: the copy builds and binds its own
    child = getattr(field, "child", None)
    if isinstance(child, serializers.Field):
        child_copy = field_copy(child)
        # The declaration already bound it (field_name "", source ""). A ListField is a child's parent
        # too, where the DRF stubs allow only serializers.
        child_copy.parent = clone  # type: ignore[assignment]
        clone.__dict__["child"] = child_copy
    return clone


class CopiedFieldsMixin(_SerializerBase):
    """Builds a serializer's ``fields`` from shallow copies of the declared fields.

    DRF deep-copies every declared field for every serializer instance, which re-runs each
    field's ``__init__``: for a wide nested input (create_orders: ~100 fields) that costs more than
    the validation itself. Put it before ``serializers.Serializer`` on classes that declare their
    fields and never change them in place.
    """

    def get_fields(self):
        return {name: field_copy(field) for name, field in self._declared_fields.items()}


class PresentFieldsValidator:
    """The validated data a flat serializer (``serializer_class``) gives for valid input,
    running only the declared fields the input has; None where the serializer itself must run.

    DRF runs every writable field for every input, the absent ones included (of a wide input,
    most), on fields it copies and binds for each request. This runs the declared fields'
    own ``run_validation`` on the values present, in declaration order, so what it returns is
    what the serializer returns. It answers None (the caller runs the serializer, which gives
    the refusal or reports the ignored keys) for input that is not a dict, a key the serializer
    does not take or takes through a nested serializer or another source, a required field
    absent, and any field error. Refuses at construction a serializer with a hook it would skip
    (``validate``, ``validate_<field>``, validators, defaults).
    """

    def __init__(self, serializer_class: type[serializers.Serializer]):
        declared: dict[str, serializers.Field] = serializer_class._declared_fields
        meta = getattr(serializer_class, "Meta", None)
        hooks = [f"validate_{name}" for name in declared if hasattr(serializer_class, f"validate_{name}")]
        if serializer_class.validate is not serializers.Serializer.validate or getattr(meta, "validators", None):
            hooks.append("validate")
        defaults = [name for name, field in declared.items() if field.default is not empty]
        if hooks or defaults:
            raise ValueError(f"{serializer_class.__name__}: hooks {hooks} and defaults {defaults} are not run here")
        self.fields = {
            name: field
            for name, field in declared.items()
            if not field.read_only
            and not isinstance(field, serializers.BaseSerializer)
            and field.source in (None, name)
        }
        self.required = frozenset(name for name, field in self.fields.items() if field.required)
        self.order = tuple(self.fields.items())

    def __call__(self, data: Any) -> dict[str, Any] | None:
        if type(data) is not dict or not self.required.issubset(data):
            return None
        fields = self.fields
        for key in data:
            if key not in fields:
                return None
        validated = {}
        for name, field in self.order:
            if name not in data:
                continue
            try:
                validated[name] = field.run_validation(data[name])
            except SkipField:
                continue
            except (serializers.ValidationError, DjangoValidationError):
                return None
        return validated


def client_id(value: Any) -> int | None:
    """``value`` as an id when it is one: a whole number or a string of ASCII digits (clients send
    both, ``1`` and ``"1"``); None for anything else (booleans, ``1.5``, ``"1a"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row by id: a whole number (or a string of digits). Django would truncate
    ``1.5`` to row 1; here it is an incorrect type, and ids outside the bigint range exist nowhere."""

    def to_internal_value(self, data):
        pk = client_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        data = pk
        if not 1 <= data <= BIGINT_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
