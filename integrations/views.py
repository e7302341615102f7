"""The channel-app protocol under /api/v1/channel/{channel_id}/: batch requests, integration
actions, error reports and the change stream."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from integrations.filters import BatchRequestFilter, IntegrationActionFilter
from integrations.models import BatchRequest, Change, ErrorReport, IntegrationAction
from integrations.selectors import (
    ChangeCursor,
    batch_request_list,
    change_stream_page,
    content_objects_for,
    deleted_rule_models,
    integration_action_deleted_list,
    integration_action_list,
)
from integrations.serializers import (
    BatchRequestCreateSerializer,
    BatchRequestSerializer,
    BatchRequestUpdateSerializer,
    ChangeSerializer,
    ChangeStreamSerializer,
    ErrorReportInputSerializer,
    IntegrationActionSerializer,
    IntegrationActionWriteSerializer,
)
from integrations.services import (
    UNSET,
    batch_request_create,
    batch_request_update,
    error_report_create,
    integration_action_create,
    integration_action_delete,
    integration_action_update,
)
from omnitron.filters import SortFilter
from omnitron.schema import EmptyQueryValuesSchema, ErrorSerializer, response_example
from omnitron.viewsets import ChannelScopedMixin

# 400 bodies name the fields at fault ({"field": ["message"]}) or carry {"detail", "code"}.
_ERRORS = {400: OpenApiTypes.OBJECT, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
_BATCH_EXAMPLE = {
    "pk": 12,
    "id": 12,
    "channel": 1,
    "local_batch_id": "0f6a2b8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b",
    "remote_batch_id": None,
    "content_type": "order",
    "status": "commit",
    "objects": [
        {
            "pk": 41,
            "content_type": "order",
            "version_date": "2025-05-22T09:53:23.297140Z",
            "remote_id": "TY-1001",
            "failed_reason_type": None,
        }
    ],
    "log_file": None,
    "created_date": "2025-05-22T09:53:20.000000Z",
    "modified_date": "2025-05-22T09:53:24.000000Z",
}
_DONE_EXAMPLE = response_example(
    "Batch already done",
    {"detail": "The batch request is done; it cannot change any more.", "code": "batch_request_status_100_1"},
    406,
)


@extend_schema_view(
    list=extend_schema(summary="List the channel's batch requests (status may repeat)"),
    retrieve=extend_schema(summary="Get a batch request"),
)
class BatchRequestViewSet(
    ChannelScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """One batch request per channel-app run: create, list, read, and move it through
    initialized → commit → sent_to_remote / ongoing → done / fail (CLIENTS.md §2.5)."""

    serializer_class = BatchRequestSerializer
    filterset_class = BatchRequestFilter
    permission_model = BatchRequest
    ordering = ["-id"]
    ordering_fields = ["id", "created_date", "modified_date"]
    lookup_value_regex = r"\d{1,18}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return self.channel_rows(batch_request_list)

    @extend_schema(
        summary="Start a batch request (status initialized, a new local_batch_id)",
        request=BatchRequestCreateSerializer,
        responses={201: BatchRequestSerializer, **_ERRORS},
        examples=[
            OpenApiExample("Start", value={"channel": "1"}, request_only=True),
            response_example(
                "Started", {**_BATCH_EXAMPLE, "status": "initialized", "content_type": None, "objects": None}, 201
            ),
        ],
    )
    def create(self, request, *args, **kwargs):
        BatchRequestCreateSerializer(data=request.data, context=self.get_serializer_context()).is_valid(
            raise_exception=True
        )
        batch = batch_request_create(channel_id=self.channel_id)
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move a batch request (commit, sent_to_remote, ongoing, done, fail) with its objects",
        request=BatchRequestUpdateSerializer,
        responses={200: BatchRequestSerializer, 406: ErrorSerializer, **_ERRORS},
        examples=[
            OpenApiExample(
                "Commit",
                value={
                    "channel": "1",
                    "status": "commit",
                    "content_type": "order",
                    "objects": _BATCH_EXAMPLE["objects"],
                },
                request_only=True,
            ),
            response_example("Committed", _BATCH_EXAMPLE, 200),
            _DONE_EXAMPLE,
        ],
    )
    def partial_update(self, request, *args, **kwargs):
        self.get_object()  # 404 for another channel's batch before the body is read
        serializer = BatchRequestUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        batch = batch_request_update(
            batch_id=int(kwargs["pk"]),
            channel_id=self.channel_id,
            status=data.get("status"),
            objects=data.get("objects"),
            content_type=data.get("content_type"),
            remote_batch_id=data.get("remote_batch_id", UNSET),
            log_file=data.get("log_file", UNSET),
        )
        return Response(self.get_serializer(batch).data)


_IA_EXAMPLE = {
    "pk": 7,
    "id": 7,
    "channel": {"pk": 1, "id": 1, "name": "Marketplace"},
    "content_type": {"id": 19, "app_label": "orders", "model": "order"},
    "object_id": 41,
    "remote_id": "TY-1001",
    "version_date": "2025-05-22T09:53:23.297140Z",
    "state": {},
    "local_batch_id": "0f6a2b8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b",
    "status": "success",
    "content_object": {"pk": 41, "id": 41, "modified_date": "2025-05-22T09:53:23.297140Z"},
    "created_date": "2025-05-22T09:53:24.000000Z",
    "modified_date": "2025-05-22T09:53:30.000000Z",
}


class ContentObjectsListMixin:
    """Lists whose page of integration actions reads the linked objects in one query per content type."""

    def paged_response(self, queryset):
        page = self.paginate_queryset(queryset)
        context = {**self.get_serializer_context(), "content_objects": content_objects_for(page)}
        return self.get_paginated_response(self.get_serializer_class()(page, many=True, context=context).data)


@extend_schema_view(
    list=extend_schema(summary="List the channel's integration actions"),
    retrieve=extend_schema(summary="Get an integration action"),
)
class IntegrationActionViewSet(
    ChannelScopedMixin, ContentObjectsListMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The link Omnitron object ↔ marketplace id for the channel, one per (content type, object)."""

    serializer_class = IntegrationActionSerializer
    filterset_class = IntegrationActionFilter
    permission_model = IntegrationAction
    ordering = ["id"]
    ordering_fields = ["id", "version_date"]
    lookup_value_regex = r"\d{1,18}"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return self.channel_rows(integration_action_list)

    def list(self, request, *args, **kwargs):
        return self.paged_response(self.filter_queryset(self.get_queryset()))

    @extend_schema(
        summary="Link an object to its marketplace id (content_type_id or a model name)",
        request=IntegrationActionWriteSerializer,
        responses={201: IntegrationActionSerializer, **_ERRORS},
        examples=[
            OpenApiExample(
                "Setup",
                value={
                    "channel_id": 1,
                    "content_type_id": 19,
                    "object_id": 41,
                    "remote_id": "TY-1001",
                    "version_date": "2025-05-22T09:53:23.297140Z",
                },
                request_only=True,
            ),
            response_example("Created", _IA_EXAMPLE, 201),
        ],
    )
    def create(self, request, *args, **kwargs):
        serializer = IntegrationActionWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        ia = integration_action_create(channel_id=self.channel_id, **serializer.validated_data)
        ia = self.get_queryset().get(pk=ia.pk)
        return Response(self.get_serializer(ia).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Update an integration action (the whole object read back is accepted)",
        request=IntegrationActionWriteSerializer,
        responses={200: IntegrationActionSerializer, **_ERRORS},
        examples=[response_example("Changed", _IA_EXAMPLE, 200)],
    )
    def partial_update(self, request, *args, **kwargs):
        self.get_object()  # 404 for another channel's action before the body is read
        serializer = IntegrationActionWriteSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        ia = integration_action_update(
            ia_id=int(kwargs["pk"]), channel_id=self.channel_id, data=serializer.validated_data
        )
        ia = self.get_queryset().get(pk=ia.pk)
        return Response(self.get_serializer(ia).data)

    @extend_schema(summary="Remove an integration action", responses={204: None, **_ERRORS})
    def destroy(self, request, *args, **kwargs):
        integration_action_delete(ia_id=int(kwargs["pk"]), channel_id=self.channel_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ErrorReportView(ChannelScopedMixin, APIView):
    """POST error_reports/: a channel app's log line about a command; stored, readable in the admin."""

    permission_model = ErrorReport

    @extend_schema(
        summary="Report a command's outcome (CLIENTS.md §2.7)",
        request=ErrorReportInputSerializer,
        responses={201: None, **_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        serializer = ErrorReportInputSerializer(data=request.data, context={"channel_id": self.channel_id})
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields["error_code"] = (fields.get("error_code") or "")[:255]
        fields["error_desc"] = fields.get("error_desc") or ""
        fields.pop("channel", None)
        error_report_create(channel_id=self.channel_id, **fields)
        return Response(status=status.HTTP_201_CREATED)


class ErrorReportKindView(ChannelScopedMixin, APIView):
    """POST error_reports/{country,city,township,district,distinct}/: an address lookup miss; the body is kept."""

    permission_model = ErrorReport

    @extend_schema(
        summary="Report a geography lookup miss (body kept as sent)",
        request={"application/json": {"type": "object", "additionalProperties": True}},
        responses={201: None, **_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        body = request.data
        if not isinstance(body, dict):
            raise ValidationError({"non_field_errors": ["Expected a JSON object."]})
        error_report_create(
            channel_id=self.channel_id,
            kind=kwargs["kind"],
            body=body,
            error_code=str(body.get("err_code") or "")[:255],
            error_desc=str(body.get("err_desc") or ""),
        )
        return Response(status=status.HTTP_201_CREATED)


class IntegrationActionDeletedView(ChannelScopedMixin, ContentObjectsListMixin, GenericAPIView):
    """GET integration_actions/deleted/?model=product: the channel's integration actions whose
    object left the channel (deleted, or no longer in its catalog), to remove from the marketplace."""

    serializer_class = IntegrationActionSerializer
    schema = EmptyQueryValuesSchema()
    filter_backends = [SortFilter]
    ordering = ["id"]
    ordering_fields = ["id"]

    def get_queryset(self):
        return IntegrationAction.objects.none()

    @extend_schema(
        summary="Integration actions whose object left the channel (model=product)",
        parameters=[
            OpenApiParameter(
                "model",
                OpenApiTypes.STR,
                description="Model name (product, the default).",
                enum=["product"],
            ),
            OpenApiParameter(
                "channel_id",
                OpenApiTypes.INT,
                description="The channel's id (same as the URL's).",
            ),
        ],
        responses={200: IntegrationActionSerializer(many=True), **_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        model_name = request.query_params.get("model") or "product"
        rows = integration_action_deleted_list(channel_id=self.channel_id, model_name=model_name)
        if rows is None:
            raise ValidationError({"model": [f"One of: {', '.join(deleted_rule_models())}."]})
        return self.paged_response(self.filter_queryset(rows))


class ChangeStreamView(ChannelScopedMixin, GenericAPIView):
    """GET changes/?after=<cursor>&limit=: every change of the channel's orders, items and
    cancellation requests, in commit-safe order, never skipping one (README, "Change stream")."""

    serializer_class = ChangeStreamSerializer
    schema = EmptyQueryValuesSchema()
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return Change.objects.none()

    @extend_schema(
        summary="The channel's change stream (gap-free, cursor-paged)",
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "string", "pattern": r"^([0-9]{1,18}-[0-9]{1,18})?$"},
                description="A cursor from a previous page (<txid>-<seq>); empty: the start.",
            ),
            OpenApiParameter(
                "limit", {"type": "integer", "minimum": 1}, description="Rows per page, 1 to 1000 (default 100)."
            ),
        ],
        responses={200: ChangeStreamSerializer, **_ERRORS},
        examples=[
            response_example(
                "Page",
                {
                    "next": "https://omnitron.example.com/api/v1/channel/1/changes/?after=7411-90&limit=1",
                    "cursor": "7411-90",
                    "results": [
                        {
                            "seq": 90,
                            "cursor": "7411-90",
                            "content_type": "order",
                            "object_id": 41,
                            "kind": "changed",
                            "version_date": "2025-05-22T09:53:23.297140Z",
                            "created_date": "2025-05-22T09:53:23.301000Z",
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        raw_after = request.query_params.get("after") or ""
        after = ChangeCursor.parse(raw_after) if raw_after else None
        if raw_after and after is None:
            raise ValidationError({"after": ["A cursor from a previous page (<txid>-<seq>), or empty."]})
        limit = _stream_limit(request.query_params.get("limit"))
        rows = change_stream_page(channel_id=self.channel_id, after=after, limit=limit)
        cursor = str(ChangeCursor(rows[-1].txid, rows[-1].id)) if rows else (str(after) if after else None)
        next_url = None
        if len(rows) == limit:
            next_url = replace_query_param(request.build_absolute_uri(), "after", cursor)
        return Response({"next": next_url, "cursor": cursor, "results": ChangeSerializer(rows, many=True).data})


def _stream_limit(raw: str | None) -> int:
    if raw in (None, ""):
        return 100
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValidationError({"limit": ["A whole number from 1; at most 1000 rows are given."]})
    return min(int(raw), 1000)
