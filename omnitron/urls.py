"""Root URLs: admin, health, docs, and the API families of API.md section 4."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from catalog import urls as catalog_urls
from channels import urls as channels_urls
from integrations import urls as integrations_urls
from omnitron.admin_site import LandingView, admin_site_brand
from omnitron.docs import RedocView, SwaggerView
from omnitron.views import LoginView, health
from orders import urls as orders_urls

# Under /api/v1/channel/{channel_id}/ (sales-channel endpoints).
channel_patterns = [
    *channels_urls.channel_urlpatterns,
    *catalog_urls.channel_urlpatterns,
    *orders_urls.channel_urlpatterns,
    *integrations_urls.channel_urlpatterns,
]

# Only under /api/v1/ (channel, catalog and user lookups, order by number, status catalogue).
v1_patterns = [*channels_urls.v1_urlpatterns, *catalog_urls.v1_urlpatterns, *orders_urls.v1_urlpatterns]

# Integration (ERP-facing) endpoints answer under both /api/i1/ and /api/v1/.
integration_patterns = [
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    *orders_urls.integration_urlpatterns,
]

admin_site_brand(admin.site)

urlpatterns = [
    path("", LandingView.as_view(), name="landing"),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api/v1/channel/<int:channel_id>/", include((channel_patterns, "channel"), namespace="channel")),
    path("api/v1/oms/", include((orders_urls.oms_urlpatterns, "oms"), namespace="oms")),
    path("api/v1/", include((v1_patterns, "v1-extra"), namespace="v1-extra")),
    path("api/i1/", include((integration_patterns, "i1"), namespace="i1")),
    path("api/v1/", include((integration_patterns, "v1"), namespace="v1")),
]

handler400 = "omnitron.views.bad_request"
handler403 = "omnitron.views.permission_denied"
handler404 = "omnitron.views.not_found"
handler500 = "omnitron.views.server_error"
