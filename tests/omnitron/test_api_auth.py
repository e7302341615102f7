"""Login, hashed tokens, expiry, revocation and the 401 shape."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from omnitron.models import APIToken
from omnitron.tokens import token_authenticate, token_create, token_digest, token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROTECTED = "/api/v1/order_statuses/"


@pytest.mark.parametrize("prefix", ["/api/v1", "/api/i1"])
def test_login_returns_a_working_key(anon_client, prefix):
    user = UserFactory(username="erp")
    response = anon_client.post(
        f"{prefix}/auth/login/", {"username": "erp", "password": "pw-for-tests-123"}, format="json"
    )
    assert response.status_code == 200
    assert list(response.json()) == ["key"]
    key = response.json()["key"]
    assert len(key) == 40
    token = APIToken.objects.get(user=user)
    assert token.digest == token_digest(key)
    assert token.name == "login"
    assert token.expires_at is not None and token.expires_at > timezone.now() + timedelta(days=29)
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon_client.get(PROTECTED).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"username": "erp", "password": "wrong"},
        {"username": "nobody", "password": "pw-for-tests-123"},
    ],
)
def test_login_refuses_bad_credentials_and_creates_no_token(anon_client, body):
    UserFactory(username="erp")
    response = anon_client.post("/api/v1/auth/login/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert APIToken.objects.count() == 0


def test_login_requires_both_fields(anon_client):
    response = anon_client.post("/api/v1/auth/login/", {"username": "erp"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"password": ["This field is required."]}


def test_login_refuses_inactive_user(anon_client):
    UserFactory(username="gone", is_active=False)
    response = anon_client.post(
        "/api/v1/auth/login/", {"username": "gone", "password": "pw-for-tests-123"}, format="json"
    )
    assert response.status_code == 400
    assert APIToken.objects.count() == 0


def test_token_is_stored_only_as_a_digest():
    user = UserFactory()
    token, key = token_create(user=user, name="erp")
    assert token.digest == token_digest(key) != key
    assert token.key_prefix == key[:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM omnitron_apitoken")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert all(key not in value for value in stored)


def test_missing_token_answers_401_with_token_challenge(anon_client):
    response = anon_client.get(PROTECTED)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}
    assert response["WWW-Authenticate"] == "Token"


def test_unknown_token_answers_401(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = anon_client.get(PROTECTED)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def test_expired_token_answers_401(anon_client):
    token, key = token_create(user=UserFactory(), name="old", expires_at=timezone.now() - timedelta(seconds=1))
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = anon_client.get(PROTECTED)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    token.refresh_from_db()
    assert token.last_used_at is None


def test_revoked_token_answers_401(anon_client):
    token, key = token_create(user=UserFactory(), name="erp")
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon_client.get(PROTECTED).status_code == 200
    token_revoke(token=token)
    response = anon_client.get(PROTECTED)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def test_token_of_inactive_user_answers_401(anon_client):
    user = UserFactory()
    _, key = token_create(user=user, name="erp")
    user.is_active = False
    user.save()
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon_client.get(PROTECTED).status_code == 401


def test_use_records_last_used_at_once_per_resolution(anon_client, settings):
    settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS = 60
    token, key = token_create(user=UserFactory(), name="erp")
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    anon_client.get(PROTECTED)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    anon_client.get(PROTECTED)
    token.refresh_from_db()
    assert token.last_used_at == first


def test_revoking_twice_keeps_the_first_time():
    token, _ = token_create(user=UserFactory(), name="erp")
    first = token_revoke(token=token).revoked_at
    assert token_revoke(token=token).revoked_at == first


def test_several_tokens_per_user_work_independently(anon_client):
    user = UserFactory()
    first, first_key = token_create(user=user, name="erp")
    _, second_key = token_create(user=user, name="marketplace")
    token_revoke(token=first)
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {first_key}")
    assert anon_client.get(PROTECTED).status_code == 401
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {second_key}")
    assert anon_client.get(PROTECTED).status_code == 200


@pytest.mark.parametrize(("is_staff", "is_superuser"), [(False, False), (True, False), (False, True)])
def test_token_authenticate_loads_the_user_flags_and_not_the_password(is_staff, is_superuser):
    user = UserFactory(is_staff=is_staff, is_superuser=is_superuser)
    created, key = token_create(user=user, name="flags")
    token = token_authenticate(key=key)
    assert (token.pk, token.user.pk, token.user.username) == (created.pk, user.pk, user.username)
    assert (token.user.is_active, token.user.is_staff, token.user.is_superuser) == (True, is_staff, is_superuser)
    assert token.expires_at is None and token.revoked_at is None
    assert "password" in token.user.get_deferred_fields()


def login_key(client, user) -> str:
    response = client.post(
        "/api/v1/auth/login/", {"username": user.username, "password": "pw-for-tests-123"}, format="json"
    )
    assert response.status_code == 200
    return response.json()["key"]


def last_used(key: str, *, days_ago: int) -> None:
    APIToken.objects.filter(digest=token_digest(key)).update(last_used_at=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def idle_days(settings):
    settings.API_LOGIN_TOKEN_IDLE_DAYS = 30
    settings.API_TOKEN_LOGIN_TTL_HOURS = 0  # no absolute lifetime: only idleness ends a login token here
    return 30


def test_a_login_token_idle_longer_than_the_setting_answers_401_and_a_used_one_does_not(anon_client, idle_days):
    # Given two login tokens of one user: one last used 31 days ago, one 29 days ago
    user = UserFactory()
    idle, used = login_key(anon_client, user), login_key(anon_client, user)
    last_used(idle, days_ago=idle_days + 1)
    last_used(used, days_ago=idle_days - 1)

    # When each is used, then the idle one answers 401 and the other works (and counts as used now)
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {idle}")
    refused = anon_client.get(PROTECTED)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Invalid token.", "code": "authentication_failed"}
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {used}")
    assert anon_client.get(PROTECTED).status_code == 200
    token = APIToken.objects.get(digest=token_digest(used))
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)
    # And the refusal did not mark the idle token used
    assert (timezone.now() - APIToken.objects.get(digest=token_digest(idle)).last_used_at).days == idle_days + 1


def test_a_login_token_never_used_counts_idle_from_its_creation(anon_client, idle_days):
    user = UserFactory()
    old, new = login_key(anon_client, user), login_key(anon_client, user)
    APIToken.objects.filter(digest=token_digest(old)).update(
        created_date=timezone.now() - timedelta(days=idle_days + 1)
    )
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert anon_client.get(PROTECTED).status_code == 401
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert anon_client.get(PROTECTED).status_code == 200


def test_integration_tokens_and_a_zero_setting_never_go_idle(anon_client, idle_days, settings):
    # Given a named integration token and a login token, both unused for a year
    user = UserFactory()
    _, integration = token_create(user=user, name="erp")
    login = login_key(anon_client, user)
    last_used(integration, days_ago=365)
    last_used(login, days_ago=365)

    # Then the integration token works; the login token works only with idle expiry off
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {integration}")
    assert anon_client.get(PROTECTED).status_code == 200
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {login}")
    assert anon_client.get(PROTECTED).status_code == 401
    settings.API_LOGIN_TOKEN_IDLE_DAYS = 0
    assert anon_client.get(PROTECTED).status_code == 200


def test_purging_deletes_login_tokens_idle_past_the_grace_period_only(anon_client, idle_days):
    # Given login tokens idle for 30 + 31 days and 30 + 29 days, and an integration token unused for a year
    user = UserFactory()
    gone, kept = login_key(anon_client, user), login_key(anon_client, user)
    _, integration = token_create(user=user, name="erp")
    last_used(gone, days_ago=idle_days + 31)
    last_used(kept, days_ago=idle_days + 29)
    last_used(integration, days_ago=365)

    # When expired tokens older than 30 days are purged, then only the long-idle login token goes
    out = io.StringIO()
    call_command("purge_api_tokens", "--days", "30", stdout=out)
    assert out.getvalue() == "Deleted 1 API token(s).\n"
    assert set(APIToken.objects.filter(user=user).values_list("digest", flat=True)) == {
        token_digest(kept),
        token_digest(integration),
    }
