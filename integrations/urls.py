"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from integrations.views import (
    BatchRequestViewSet,
    ChangeStreamView,
    ErrorReportKindView,
    ErrorReportView,
    IntegrationActionDeletedView,
    IntegrationActionViewSet,
)

router = SimpleRouter()
router.register("batch_requests", BatchRequestViewSet, basename="batch-request")
router.register("integration_actions", IntegrationActionViewSet, basename="integration-action")

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [
    path("integration_actions/deleted/", IntegrationActionDeletedView.as_view(), name="integration-action-deleted"),
    *router.urls,
    path("error_reports/", ErrorReportView.as_view(), name="error-report-create"),
    re_path(
        r"^error_reports/(?P<kind>country|city|township|district|distinct)/$",
        ErrorReportKindView.as_view(),
        name="error-report-kind-create",
    ),
    path("changes/", ChangeStreamView.as_view(), name="change-stream"),
]
