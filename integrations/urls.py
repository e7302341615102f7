"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from integrations.views import (
    BatchRequestViewSet,
    ChangeStreamView,
    ErrorReportKindView,
    ErrorReportView,
    IntegrationActionDeletedView,
    IntegrationActionViewSet,
)

ERROR_REPORT_KINDS = ("country", "city", "township", "district", "distinct")

router = SimpleRouter()
router.register("batch_requests", BatchRequestViewSet, basename="batch-request")
router.register("integration_actions", IntegrationActionViewSet, basename="integration-action")

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [
    path("integration_actions/deleted/", IntegrationActionDeletedView.as_view(), name="integration-action-deleted"),
    *router.urls,
    path("error_reports/", ErrorReportView.as_view(), name="error-report-create"),
    # One handler for every kind; the kind comes from the path (no path parameter to document).
    *(
        path(f"error_reports/{kind}/", ErrorReportKindView.as_view(), {"kind": kind}, name=f"error-report-{kind}")
        for kind in ERROR_REPORT_KINDS
    ),
    path("changes/", ChangeStreamView.as_view(), name="change-stream"),
]
