"""Shared fixtures: a channel with a member who holds an API token, and API clients."""

import sys

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.test import APIClient

from omnitron.auth_cache import auth_cache_clear
from omnitron.tokens import token_create
from tests.factories import ChannelFactory, ChannelMembershipFactory, UserFactory

MEMBER_PERMISSIONS = [
    "add_order",
    "change_order",
    "change_orderitem",
    "add_cancellationrequest",
    "change_cancellationrequest",
    "add_ordershippinginfo",
    "add_customer",
    "change_customer",
    "add_address",
    "change_address",
    "add_integrationmapping",
    "change_channel",
    "add_batchrequest",
    "change_batchrequest",
    "add_integrationaction",
    "change_integrationaction",
    "delete_integrationaction",
    "add_errorreport",
]


def client_for(user) -> APIClient:
    """An API client authenticated with a fresh token of ``user``."""
    _, key = token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 is deliberately slow; tests only need hashing to be correct, not expensive."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters start at zero and no token is cached in every test (ids, and so cache keys,
    repeat across tests)."""
    cache.clear()
    auth_cache_clear()


@pytest.fixture
def channel(db):
    return ChannelFactory()


@pytest.fixture
def other_channel(db):
    return ChannelFactory()


@pytest.fixture
def member(channel):
    """A non-staff user who is a member of ``channel`` and may write orders, customers, addresses."""
    user = UserFactory()
    ChannelMembershipFactory(channel=channel, user=user)
    user.user_permissions.set(Permission.objects.filter(codename__in=MEMBER_PERMISSIONS))
    return user


@pytest.fixture
def member_client(member) -> APIClient:
    return client_for(member)


@pytest.fixture
def readonly_member_client(channel) -> APIClient:
    """A member of ``channel`` without any write permission."""
    user = UserFactory()
    ChannelMembershipFactory(channel=channel, user=user)
    return client_for(user)


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff_user) -> APIClient:
    return client_for(staff_user)


@pytest.fixture
def admin_client(client, staff_user):
    """pytest-django's browser client, logged in to the admin as ``staff_user``."""
    client.force_login(staff_user)
    return client


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """The public OpenAPI document, generated once per test module."""
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` (row locks, concurrency) skip with a reason on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    """How much the contract fuzzing sent, when it ran."""
    fuzz = sys.modules.get("tests.test_contract_fuzz")
    if fuzz is not None and fuzz.REQUESTS:
        terminalreporter.write_line(fuzz.requests_summary())
