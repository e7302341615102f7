"""The per-process token cache: a repeated caller skips the token and membership statements, and a
revocation or membership change is seen at once in this process and within the TTL elsewhere."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channels.models import ChannelMembership
from omnitron import auth_cache
from omnitron.models import APIToken
from omnitron.tokens import token_create, token_revoke
from tests.factories import ChannelMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def items_url(channel) -> str:
    return f"/api/v1/channel/{channel.pk}/order_items/?limit=1"


def statements(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def test_a_repeated_caller_skips_the_token_and_membership_statements(member_client, channel):
    # Given a caller whose first request loaded its token (and wrote last_used_at)
    url = items_url(channel)
    assert member_client.get(url).status_code == 200
    auth_cache.auth_cache_clear()
    status, cold = statements(member_client, url)
    # When it asks again within API_AUTH_CACHE_SECONDS
    status_warm, warm = statements(member_client, url)
    # Then the token lookup and the membership lookup are not run again
    assert (status, status_warm, cold - warm) == (200, 200, 2)


def test_with_the_cache_off_every_request_reads_the_token(member_client, channel, settings):
    settings.API_AUTH_CACHE_SECONDS = 0
    url = items_url(channel)
    member_client.get(url)
    assert statements(member_client, url) == statements(member_client, url)
    assert auth_cache._entries == {}


def test_a_revoked_token_answers_401_at_once_in_the_process_that_revoked_it(member, channel):
    token, key = token_create(user=member, name="erp")
    client = member_client_with(key)
    assert client.get(items_url(channel)).status_code == 200

    token_revoke(token=token)

    response = client.get(items_url(channel))
    assert (response.status_code, response.json()["detail"]) == (401, "Invalid token.")


def test_a_removed_membership_hides_the_channel_at_once(member_client, member, channel):
    assert member_client.get(items_url(channel)).status_code == 200

    ChannelMembership.objects.get(user=member, channel=channel).delete()

    assert member_client.get(items_url(channel)).status_code == 404


def test_a_new_membership_shows_the_channel_at_once(member_client, member, other_channel):
    assert member_client.get(items_url(other_channel)).status_code == 404

    ChannelMembershipFactory(user=member, channel=other_channel)

    assert member_client.get(items_url(other_channel)).status_code == 200


def test_a_granted_permission_allows_a_write_at_once(channel):
    user = UserFactory()
    ChannelMembershipFactory(channel=channel, user=user)
    _, key = token_create(user=user, name="erp")
    client = member_client_with(key)
    url = f"/api/v1/channel/{channel.pk}/customers/"
    body = {"email": "a@example.com", "first_name": "A", "last_name": "B", "channel_code": "c-1"}
    assert client.post(url, body, format="json").status_code == 403

    user.user_permissions.add(Permission.objects.get(codename="add_customer"))

    response = client.post(url, body, format="json")
    assert (response.status_code, response.json()["email"]) == (201, "a@example.com")


def test_a_change_made_elsewhere_is_seen_once_the_entry_expires(member, channel, settings, monkeypatch):
    # Given a cached token (another worker's revocation sends no signal here: a queryset update)
    settings.API_AUTH_CACHE_SECONDS = 5
    token, key = token_create(user=member, name="erp")
    client = member_client_with(key)
    assert client.get(items_url(channel)).status_code == 200
    APIToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    now = auth_cache.time.monotonic()

    # Within the TTL the cached entry still answers; after it, the revocation holds
    monkeypatch.setattr(auth_cache.time, "monotonic", lambda: now + 4)
    assert client.get(items_url(channel)).status_code == 200
    monkeypatch.setattr(auth_cache.time, "monotonic", lambda: now + 5.01)
    assert client.get(items_url(channel)).status_code == 401


def test_the_cache_never_holds_more_than_its_bound(member, channel, monkeypatch):
    monkeypatch.setattr(auth_cache, "MAX_ENTRIES", 3)
    for index in range(7):
        _, key = token_create(user=member, name=f"t{index}")
        assert member_client_with(key).get(items_url(channel)).status_code == 200
        assert len(auth_cache._entries) <= 3
    assert len(auth_cache._entries) == 1


def member_client_with(key: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
