"""The admin shows each user's API tokens with their kind, state and last use."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from omnitron.models import APIToken, TokenKind
from omnitron.tokens import token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(settings):
    """A user with a login token used an hour ago, an idle login token and an integration token."""
    settings.API_LOGIN_TOKEN_IDLE_DAYS = 30
    user = UserFactory(username="erp-user")
    used, _ = token_create(user=user, name="login", kind=TokenKind.LOGIN)
    idle, _ = token_create(user=user, name="login", kind=TokenKind.LOGIN)
    integration, _ = token_create(user=user, name="marketplace-sync")
    now = timezone.now()
    APIToken.objects.filter(pk=used.pk).update(last_used_at=now - timedelta(hours=1))
    APIToken.objects.filter(pk=idle.pk).update(last_used_at=now - timedelta(days=40))
    return user, {token.pk: APIToken.objects.get(pk=token.pk) for token in (used, idle, integration)}


def test_user_page_lists_the_users_tokens_with_their_last_use(admin_client, tokens):
    user, by_pk = tokens
    response = admin_client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert response.status_code == 200
    inline = next(formset for formset in response.context["inline_admin_formsets"] if formset.opts.model is APIToken)
    rows = [
        (form.original.pk, form.original.kind, inline.opts.state(form.original), form.original.last_used_at)
        for form in inline
    ]
    used, idle, integration = sorted(by_pk)
    assert rows == [
        (integration, "integration", "active", None),
        (idle, "login", "idle", by_pk[idle].last_used_at),
        (used, "login", "active", by_pk[used].last_used_at),
    ]
    html = response.content.decode()
    assert "marketplace-sync" in html
    assert formats.localize(timezone.localtime(by_pk[used].last_used_at)) in html
    assert all(by_pk[pk].key_prefix in html for pk in by_pk)


@pytest.mark.parametrize(("state", "expected"), [("idle", [1]), ("active", [0, 2])])
def test_token_changelist_filters_by_state_and_user(admin_client, tokens, state, expected):
    user, by_pk = tokens
    ordered = sorted(by_pk)
    response = admin_client.get(reverse("admin:omnitron_apitoken_changelist"), {"state": state, "q": user.username})
    assert response.status_code == 200
    assert sorted(token.pk for token in response.context["cl"].result_list) == [ordered[i] for i in expected]
