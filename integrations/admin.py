"""Admin for batch requests, integration actions, error reports and the change outbox: read-only
(the channel apps write them through the API's services); a batch can be failed by hand."""

from django.contrib import admin, messages

from integrations.models import OPEN_BATCH_STATUSES, BatchRequest, BatchStatus, Change, ErrorReport, IntegrationAction
from integrations.services import batch_request_update
from omnitron.admin_utils import BigTableAdminMixin, ReadOnlyAdminMixin


@admin.register(BatchRequest)
class BatchRequestAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "channel", "status", "content_type", "local_batch_id", "remote_batch_id", "modified_date"]
    list_filter = ["status", "content_type", "channel", "created_date"]
    list_select_related = ["channel", "content_type"]
    search_fields = ["=local_batch_id", "=remote_batch_id"]
    raw_id_fields = ["channel"]
    date_hierarchy = "created_date"
    actions = ["fail_batches"]

    def get_queryset(self, request):
        return BatchRequest.objects.all()

    @admin.action(description="Fail the selected open batches (release their objects)", permissions=["fail"])
    def fail_batches(self, request, queryset):
        failed = 0
        for pk, channel_id in queryset.filter(status__in=OPEN_BATCH_STATUSES).values_list("pk", "channel_id"):
            batch_request_update(batch_id=pk, channel_id=channel_id, status=BatchStatus.FAIL)
            failed += 1
        self.message_user(request, f"{failed} batch request(s) failed.", messages.SUCCESS)

    def has_fail_permission(self, request):
        return request.user.has_perm("integrations.change_batchrequest")


@admin.register(IntegrationAction)
class IntegrationActionAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "content_type",
        "object_id",
        "remote_id",
        "status",
        "version_date",
        "synced_seq",
        "pending_seq",
    ]
    list_filter = ["status", "content_type", "channel"]
    list_select_related = ["channel", "content_type"]
    search_fields = ["=remote_id", "=object_id", "=local_batch_id"]
    raw_id_fields = ["channel"]


@admin.register(ErrorReport)
class ErrorReportAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "channel", "kind", "error_code", "is_ok", "created_date"]
    list_filter = ["kind", "is_ok", "channel", "created_date"]
    list_select_related = ["channel"]
    search_fields = ["=error_code", "error_code__startswith"]
    raw_id_fields = ["channel"]
    date_hierarchy = "created_date"


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "channel", "content_type", "object_id", "kind", "version_date", "txid", "created_date"]
    list_filter = ["kind", "content_type", "channel"]
    list_select_related = ["channel", "content_type"]
    search_fields = ["=object_id"]
    raw_id_fields = ["channel"]
