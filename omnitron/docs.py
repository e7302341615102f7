"""Swagger UI and Redoc served from the app's own static files, with nothing loaded from another host."""

from typing import TYPE_CHECKING

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

# The mixin is typed against the views it goes on; at run time it stays a plain mixin.
if TYPE_CHECKING:
    from rest_framework.views import APIView as _ViewBase
else:
    _ViewBase = object

# The pages' scripts (drf-spectacular-sidecar) come from /static/; inline scripts and styles are the
# pages' own set-up and the UIs' generated styles, blob: is Redoc's search worker. Everything else a
# bundle might fetch from elsewhere (Redoc's footer logo from cdn.redoc.ly, web fonts) is refused by
# the browser before any request leaves it.
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


class _SameOriginOnly(_ViewBase):
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


class SwaggerView(_SameOriginOnly, SpectacularSwaggerView):
    pass


class RedocView(_SameOriginOnly, SpectacularRedocView):
    template_name = "omnitron/docs/redoc.html"
