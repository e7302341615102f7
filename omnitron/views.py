"""Login and health endpoints."""

from django.db import connection
from django.http import JsonResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from omnitron.schema import VALIDATION_ERROR_SCHEMA, response_example
from omnitron.serializers import LoginInputSerializer, LoginOutputSerializer
from omnitron.throttling import LoginThrottle
from omnitron.tokens import token_create_for_login

LOGIN_EXAMPLE = {"username": "integration", "password": "s3cret"}  # documentation example


class LoginView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        operation_id="auth_login",
        summary="Log in: exchange a username and password for a new token",
        description=(
            "Issues a new token on every call; the user's older tokens stay valid. Login tokens share "
            "their user's throttle quotas and answer 401 once unused for `API_LOGIN_TOKEN_IDLE_DAYS` "
            "(default 30) or `API_TOKEN_LOGIN_TTL_HOURS` after the login; log in again then."
        ),
        request=LoginInputSerializer,
        responses={
            200: LoginOutputSerializer,
            400: VALIDATION_ERROR_SCHEMA,
        },
        examples=[
            OpenApiExample("Request", value=LOGIN_EXAMPLE, request_only=True),
            response_example("Token", {"key": "f532e0c0d4c54d5b8bd5c1d8f0b1a2c3d4e5f6a7"}, 200),
            response_example(
                "Bad credentials", {"non_field_errors": ["Unable to log in with provided credentials."]}, 400
            ),
        ],
    )
    def post(self, request):
        serializer = LoginInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        _, key = token_create_for_login(user=serializer.validated_data["user"])
        return Response({"key": key})


def health(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database means "unhealthy"
        # Django closes the broken connection when the request ends (close_old_connections).
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "detail": type(exc).__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request, exception=None):
    """JSON 400 for requests Django refuses before any view (a Host not allowed, too many fields)."""
    return JsonResponse({"detail": "Bad request.", "code": "bad_request"}, status=400)


def permission_denied(request, exception=None):
    """JSON 403 for a ``PermissionDenied`` raised outside the API views."""
    return JsonResponse(
        {"detail": "You do not have permission to perform this action.", "code": "permission_denied"}, status=403
    )


def csrf_failure(request, reason=""):
    """JSON 403 when Django's CSRF check refuses a request (only cookie-session pages are checked)."""
    return JsonResponse({"detail": f"CSRF verification failed: {reason}", "code": "csrf_failed"}, status=403)


def not_found(request, exception=None):
    """JSON 404 for unknown URLs (the API's error shape)."""
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def server_error(request):
    """JSON 500; the error itself is logged by Django."""
    return JsonResponse({"detail": "Internal server error.", "code": "server_error"}, status=500)
