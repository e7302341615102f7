"""Serializers for the auth endpoints."""

from django.contrib.auth import authenticate
from rest_framework import serializers


class LoginInputSerializer(serializers.Serializer):
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

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict) and detail and all(isinstance(index, int) for index in detail):
                raise serializers.ValidationError([detail.get(index, {}) for index in range(len(data))]) from None
            raise
