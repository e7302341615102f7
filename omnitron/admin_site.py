"""The admin site's branding, and the landing page at ``/`` that its "View site" link leads to."""

from django.contrib import admin
from django.views.generic import TemplateView

SITE_NAME = "Omnitron order service"


def admin_site_brand(site: admin.AdminSite) -> None:
    """Name the admin after the service; "View site" goes to the landing page."""
    site.site_header = f"{SITE_NAME} admin"
    site.site_title = "Omnitron admin"
    site.index_title = "Orders, channels and catalog"
    site.site_url = "/"


class LandingView(TemplateView):
    """Links to the API documentation, the admin and the health check; no login needed."""

    template_name = "omnitron/landing.html"
    extra_context = {"site_name": SITE_NAME}
