"""Serializers of the integrations app: one per representation, named by purpose."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from channels.serializers import ChannelOfTheURLMixin, ChannelSerializer, ContentTypeSerializer
from integrations.models import (
    BatchRequest,
    BatchStatus,
    Change,
    ErrorReport,
    FailedReasonType,
    IntegrationAction,
    IntegrationStatus,
)
from integrations.selectors import CONTENT_TYPE_APPS, content_objects_for, content_type_for
from integrations.services import BatchObject
from omnitron.db import BIGINT_MAX
from omnitron.fields import JSONObjectField
from omnitron.serializers import client_id
from omnitron.unknown_input import UnknownFieldsMixin


class ClientDateTimeField(serializers.DateTimeField):
    """An input datetime (ISO 8601 or Python's ``str(datetime)``); without an offset it is read in
    ``API_NAIVE_DATETIME_TIME_ZONE``; kept in UTC with its microseconds."""

    def default_timezone(self):
        return ZoneInfo(settings.API_NAIVE_DATETIME_TIME_ZONE)

    def to_internal_value(self, value) -> datetime:
        try:
            return super().to_internal_value(value).astimezone(UTC)
        except OverflowError:
            self.fail("invalid", format="ISO 8601")


@extend_schema_field(
    {"type": "string", "nullable": True, "description": "A marketplace id (a number is read as text)."}
)
class RemoteIdField(serializers.CharField):
    """A marketplace id: text, or a whole number read as its digits (channel apps send both)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            data = str(data)
        elif not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGINT_MAX})
class ObjectIdField(serializers.Field):
    """An object's id: a whole number or a string of digits, 1 to the largest bigint."""

    default_error_messages = {"invalid": "A valid integer id is required."}

    def to_internal_value(self, data) -> int:
        value = client_id(data)
        if value is None or not 1 <= value <= BIGINT_MAX:
            self.fail("invalid")
        return value

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "string", "description": "A model name (order, orderitem, product, …)."})
class ContentTypeNameField(serializers.Field):
    """A content type given by its unique model name (``order``, ``productstock``)."""

    default_error_messages = {"unknown": "Unknown content type {value!r}; send a model name such as order or product."}

    def to_internal_value(self, data) -> ContentType:
        content_type = content_type_for(data) if isinstance(data, str) else None
        if content_type is None:
            self.fail("unknown", value=str(data)[:64])
        return content_type

    def to_representation(self, value):
        return value.model if isinstance(value, ContentType) else value


class ContentTypeIdField(serializers.PrimaryKeyRelatedField):
    """A content type by id, among the models the API names."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", ContentType.objects.filter(app_label__in=CONTENT_TYPE_APPS))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        pk = client_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= pk <= BIGINT_MAX:
            self.fail("does_not_exist", pk_value=pk)
        return super().to_internal_value(pk)


_DATETIME = serializers.DateTimeField()


# --- Batch requests ----------------------------------------------------------------------------


class BatchObjectSerializer(serializers.Serializer):
    """One element of ``objects``: an Omnitron object, the version the client read, its outcome."""

    pk = ObjectIdField(help_text="The Omnitron object's id.")
    content_type = ContentTypeNameField(
        required=False, allow_null=True, help_text="Model name; the batch's content type when absent."
    )
    version_date = ClientDateTimeField(
        required=False, allow_null=True, help_text="The object's modified_date as the client read it."
    )
    remote_id = RemoteIdField(help_text="The marketplace id; null keeps the stored one.")
    failed_reason_type = serializers.ChoiceField(
        choices=FailedReasonType.choices, required=False, allow_null=True, help_text="null: success."
    )

    def to_internal_value(self, data) -> BatchObject:
        raw = dict(data) if isinstance(data, dict) else data
        values = super().to_internal_value(data)
        content_type = values.get("content_type")
        return BatchObject(
            pk=values["pk"],
            content_type_id=content_type.pk if content_type is not None else None,
            version_date=values.get("version_date"),
            remote_id=values.get("remote_id"),
            failed_reason_type=values.get("failed_reason_type"),
            raw=raw,
        )


class BatchRequestSerializer(serializers.ModelSerializer):
    """A batch request: one channel-app run."""

    pk = serializers.IntegerField(read_only=True)
    content_type = serializers.SerializerMethodField(help_text="Model name; null until the first commit.")
    objects = serializers.JSONField(
        source="batch_objects", read_only=True, allow_null=True, help_text="The objects declared so far."
    )

    class Meta:
        model = BatchRequest
        fields = [
            "pk",
            "id",
            "channel",
            "local_batch_id",
            "remote_batch_id",
            "content_type",
            "status",
            "objects",
            "log_file",
            "created_date",
            "modified_date",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_content_type(self, batch: BatchRequest) -> str | None:
        return batch.content_type.model if batch.content_type_id else None


class BatchRequestCreateSerializer(ChannelOfTheURLMixin, UnknownFieldsMixin, serializers.Serializer):
    """POST body: ``{"channel": "<ch>"}`` (the channel of the URL; may be left out)."""

    channel = serializers.JSONField(required=False, help_text="The channel of the URL (id or digits).")


class BatchRequestUpdateSerializer(ChannelOfTheURLMixin, UnknownFieldsMixin, serializers.Serializer):
    """PATCH body: a status move with its objects (CLIENTS.md §2.5)."""

    channel = serializers.JSONField(required=False, help_text="The channel of the URL (id or digits).")
    status = serializers.ChoiceField(choices=BatchStatus.choices, required=False)
    objects = BatchObjectSerializer(many=True, required=False, allow_null=True)
    content_type = ContentTypeNameField(required=False, allow_null=True)
    remote_batch_id = serializers.CharField(max_length=255, required=False, allow_null=True, allow_blank=True)
    log_file = serializers.CharField(max_length=255, required=False, allow_null=True, allow_blank=True)


# --- Integration actions -----------------------------------------------------------------------


class IntegrationActionSerializer(serializers.ModelSerializer):
    """An integration action: an object's marketplace id and sync state for one channel."""

    pk = serializers.IntegerField(read_only=True)
    channel = ChannelSerializer(read_only=True)
    content_type = ContentTypeSerializer(read_only=True)
    content_object = serializers.SerializerMethodField()

    class Meta:
        model = IntegrationAction
        fields = [
            "pk",
            "id",
            "channel",
            "content_type",
            "object_id",
            "remote_id",
            "version_date",
            "state",
            "local_batch_id",
            "status",
            "content_object",
            "created_date",
            "modified_date",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "pk": {"type": "integer"},
                "id": {"type": "integer"},
                "modified_date": {"type": "string", "format": "date-time", "nullable": True},
            },
            "description": "The linked object (pk, id, modified_date), null when it no longer exists.",
        }
    )
    def get_content_object(self, ia: IntegrationAction) -> dict[str, Any] | None:
        objects = self.context.get("content_objects")
        if objects is None:
            objects = content_objects_for([ia])
        found = objects.get((ia.content_type_id, ia.object_id))
        if found is None:
            return None
        modified = found["modified_date"]
        return {**found, "modified_date": _DATETIME.to_representation(modified) if modified else None}


class IntegrationActionWriteSerializer(UnknownFieldsMixin, serializers.Serializer):
    """POST / PATCH body. The content type is ``content_type_id``, or a model name in
    ``content_type`` / ``content_type_model``; a PATCH may echo the whole object read back
    (read-only keys such as ``pk``, ``channel``, ``content_object`` are ignored)."""

    channel_id = serializers.JSONField(required=False, help_text="The channel of the URL (id or digits).")
    content_type_id = ContentTypeIdField(required=False)
    content_type = serializers.JSONField(required=False, help_text="A model name (or a content type object or id).")
    content_type_model = ContentTypeNameField(required=False)
    object_id = ObjectIdField(required=False)
    remote_id = RemoteIdField()
    version_date = ClientDateTimeField(required=False, allow_null=True)
    state = JSONObjectField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=IntegrationStatus.choices, required=False, allow_null=True)

    def validate_channel_id(self, value):
        channel_id = self.context.get("channel_id")
        if channel_id is not None and client_id(value) != channel_id:
            raise serializers.ValidationError(f"Must be the channel of the URL ({channel_id}).")
        return value

    def validate_content_type(self, value) -> ContentType:
        if isinstance(value, dict):
            value = value.get("model", value.get("id"))
        if client_id(value) is not None:
            return ContentTypeIdField().to_internal_value(value)
        content_type = content_type_for(value) if isinstance(value, str) else None
        if content_type is None:
            raise serializers.ValidationError(f"Unknown content type {str(value)[:64]!r}; send a model name.")
        return content_type

    def validate(self, attrs):
        given = [attrs.pop(name) for name in ("content_type_id", "content_type", "content_type_model") if name in attrs]
        if given:
            if any(other != given[0] for other in given[1:]):
                raise serializers.ValidationError({"content_type": ["content_type_id and the model name disagree."]})
            attrs["content_type"] = given[0]
        attrs.pop("channel_id", None)
        if not self.partial:
            missing = {name: ["This field is required."] for name in ("content_type", "object_id") if name not in attrs}
            if "content_type" in missing:
                missing["content_type"] = ["Send content_type_id or a model name in content_type."]
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


# --- Error reports -----------------------------------------------------------------------------


class ErrorReportInputSerializer(ChannelOfTheURLMixin, UnknownFieldsMixin, serializers.Serializer):
    """POST error_reports/: a channel app's log line about a command (CLIENTS.md §2.7)."""

    action_content_type = ContentTypeIdField(required=False, allow_null=True)
    action_object_id = ObjectIdField(required=False, allow_null=True)
    target_content_type = ContentTypeIdField(required=False, allow_null=True)
    target_object_id = RemoteIdField()
    obj_modified_date = serializers.CharField(max_length=64, required=False, allow_null=True, allow_blank=True)
    error_code = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Kept up to 255 characters (longer is cut)."
    )
    error_desc = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    raw_request = serializers.CharField(required=False, allow_blank=True, allow_null=True, trim_whitespace=False)
    raw_response = serializers.CharField(required=False, allow_blank=True, allow_null=True, trim_whitespace=False)
    is_ok = serializers.BooleanField(required=False, default=False)


class ErrorReportSerializer(serializers.ModelSerializer):
    """A stored error report."""

    pk = serializers.IntegerField(read_only=True)

    class Meta:
        model = ErrorReport
        fields = [
            "pk",
            "id",
            "channel",
            "kind",
            "action_content_type",
            "action_object_id",
            "target_content_type",
            "target_object_id",
            "obj_modified_date",
            "error_code",
            "error_desc",
            "raw_request",
            "raw_response",
            "is_ok",
            "body",
            "created_date",
        ]
        read_only_fields = fields


# --- Change stream -----------------------------------------------------------------------------


class ChangeSerializer(serializers.ModelSerializer):
    """One row of the change stream: which object changed how, and its version after the change."""

    seq = serializers.IntegerField(source="id", read_only=True, help_text="The change sequence number.")
    cursor = serializers.SerializerMethodField(help_text="Pass as ``after`` to continue after this row.")
    content_type = serializers.CharField(source="content_type.model", read_only=True, help_text="Model name.")

    class Meta:
        model = Change
        fields = ["seq", "cursor", "content_type", "object_id", "kind", "version_date", "created_date"]
        read_only_fields = fields

    def get_cursor(self, change: Change) -> str:
        return f"{change.txid}-{change.id}"


class ChangeStreamSerializer(serializers.Serializer):
    """A page of the change stream. ``next`` is null when the stream is caught up; poll again with ``cursor``."""

    next = serializers.URLField(allow_null=True, help_text="The next page (after= the last row), or null.")
    cursor = serializers.CharField(allow_null=True, help_text="Where this page ends; the ``after`` to poll with.")
    results = ChangeSerializer(many=True)
