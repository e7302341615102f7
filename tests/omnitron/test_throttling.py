"""Throttles: per-token read/write/create_orders quotas with RateLimit-* headers, 429 with
Retry-After, login attempts per (username, address), and the cache (Redis) behind them."""

import threading
from collections import Counter
from unittest import mock

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from rest_framework.test import APIClient

from omnitron.models import APIToken
from omnitron.throttling import Quota, WindowRateThrottle, parse_rate
from orders.models import Order
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.orders.create_orders_support import minimal_body, url, world_for

pytestmark = pytest.mark.django_db

READ = "/api/v1/order_statuses/"
LOGIN = "/api/v1/auth/login/"
# 15.5 s into a minute window: the window resets in 44.5 s, announced as 45.
WINDOW_START = 6000 * 60
NOW = WINDOW_START + 15.5


class Clock:
    def __init__(self, now: float):
        self.now = now


@pytest.fixture
def clock():
    clock = Clock(NOW)
    with mock.patch.object(WindowRateThrottle, "timer", staticmethod(lambda: clock.now)):
        yield clock


@pytest.fixture
def rates(settings):
    """Set throttle rates for one test: ``rates(read="3/min")``."""

    def set_rates(**scopes):
        framework = dict(settings.REST_FRAMEWORK)
        framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **scopes}
        settings.REST_FRAMEWORK = framework

    return set_rates


def quota(response) -> tuple[str, str, str] | None:
    headers = response.headers
    if "RateLimit-Limit" not in headers:
        return None
    return headers["RateLimit-Limit"], headers["RateLimit-Remaining"], headers["RateLimit-Reset"]


def login(client: APIClient, username: str, password: str = "wrong", address: str = "10.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, format="json", REMOTE_ADDR=address, **extra)


def test_reads_carry_their_quota_and_the_request_after_the_limit_is_429(rates, clock, member_client):
    # Given a read quota of 3 per minute
    rates(read="3/min")

    # When a token reads three times, then a fourth
    answers = [member_client.get(READ) for _ in range(3)]
    refused = member_client.get(READ)

    # Then each answer carries the quota left, and the fourth is refused until the window ends
    assert [response.status_code for response in answers] == [200, 200, 200]
    assert [quota(response) for response in answers] == [("3", "2", "45"), ("3", "1", "45"), ("3", "0", "45")]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "45"
    assert quota(refused) == ("3", "0", "45")
    assert refused.json() == {
        "detail": "Request was throttled. Expected available in 45 seconds.",
        "code": "throttled",
        "wait": 45,
    }


def test_the_quota_is_full_again_when_the_window_resets(rates, clock, member_client):
    rates(read="2/min")
    for _ in range(3):
        member_client.get(READ)

    # Ten seconds later the quota is still used up, and Reset counts down
    clock.now = NOW + 10
    later = member_client.get(READ)
    assert later.status_code == 429
    assert later.headers["Retry-After"] == "35"
    assert quota(later) == ("2", "0", "35")

    # At the end of the window the full quota is back
    clock.now = WINDOW_START + 60
    fresh = member_client.get(READ)
    assert fresh.status_code == 200
    assert quota(fresh) == ("2", "1", "60")


def test_each_token_has_its_own_quota(rates, clock, member, member_client):
    rates(read="1/min")
    assert member_client.get(READ).status_code == 200
    assert member_client.get(READ).status_code == 429

    # Another token of the same user, and another user's token, are not affected
    assert client_for(member).get(READ).status_code == 200
    assert client_for(UserFactory()).get(READ).status_code == 200


def login_client(username: str) -> APIClient:
    """A client with a fresh token from the login endpoint."""
    response = APIClient().post(LOGIN, {"username": username, "password": "pw-for-tests-123"}, format="json")
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['key']}")
    return client


def test_login_tokens_of_one_user_share_one_quota(rates, clock):
    # Given a read quota of 10 per minute and one user who logged in five times
    rates(read="10/min", login="off")
    user = UserFactory()
    clients = [login_client(user.username) for _ in range(5)]
    assert APIToken.objects.filter(user=user, kind="login").count() == 5

    # When each token reads once, then each once more
    answers = [client.get(READ) for client in clients + clients]

    # Then the ten reads are counted against one quota, and the eleventh is refused
    assert [quota(response)[1] for response in answers] == ["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]
    assert all(response.status_code == 200 for response in answers)
    assert clients[0].get(READ).status_code == 429
    # And the tokens themselves all still work: a new login revokes none of the older ones
    assert APIToken.objects.filter(user=user, revoked_at__isnull=True).count() == 5


def test_a_named_integration_token_has_its_own_quota_beside_the_users_login_tokens(rates, clock):
    # Given a user's login tokens and a named integration token made for them (as the admin does)
    rates(read="10/min", login="off")
    user = UserFactory()
    first, second = login_client(user.username), login_client(user.username)
    integration = client_for(user)
    assert APIToken.objects.get(user=user, name="tests").kind == "integration"

    # When the login tokens read three times and the integration token twice
    shared = [client.get(READ) for client in (first, second, first)]
    own = [integration.get(READ) for _ in range(2)]

    # Then the login tokens share one count and the integration token has its own
    assert [quota(response) for response in shared] == [("10", "9", "45"), ("10", "8", "45"), ("10", "7", "45")]
    assert [quota(response) for response in own] == [("10", "9", "45"), ("10", "8", "45")]
    assert quota(second.get(READ)) == ("10", "6", "45")


def test_writes_and_reads_are_counted_apart(rates, clock, member_client, channel):
    # Given room for one read and two writes
    rates(read="1/min", write="2/min")
    assert member_client.get(READ).status_code == 200
    assert member_client.get(READ).status_code == 429

    # When the same token writes (an unknown item: 404 after the throttle)
    patch = f"/api/v1/channel/{channel.pk}/order_items/999999/"
    writes = [member_client.patch(patch, {"status": "shipped"}, format="json") for _ in range(3)]

    # Then the writes have their own quota, with headers on the 404s too
    assert [response.status_code for response in writes] == [404, 404, 429]
    assert [quota(response) for response in writes] == [("2", "1", "45"), ("2", "0", "45"), ("2", "0", "45")]


def test_create_orders_has_its_own_stricter_quota_and_a_refusal_writes_nothing(rates, clock, member_client, channel):
    # Given create_orders limited to 2 a minute (other writes to 10)
    rates(create_orders="2/min", write="10/min")
    world = world_for(channel, stock=10)
    created = [
        member_client.post(url(channel.pk), minimal_body(world, number=f"T-{index}"), format="json")
        for index in range(2)
    ]
    orders_before = Order.objects.count()

    # When a third order arrives in the same window
    refused = member_client.post(url(channel.pk), minimal_body(world, number="T-2"), format="json")

    # Then it is refused and nothing is written
    assert [response.status_code for response in created] == [201, 201]
    assert [quota(response) for response in created] == [("2", "1", "45"), ("2", "0", "45")]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert Order.objects.count() == orders_before
    assert not Order.objects.filter(number="T-2").exists()
    # And other writes still have their own quota
    patch = member_client.patch(f"/api/v1/channel/{channel.pk}/order_items/999999/", {}, format="json")
    assert quota(patch) == ("10", "9", "45")


def test_login_is_throttled_per_username_and_address(rates, clock, anon_client):
    # Given two attempts allowed per username and address
    rates(login="2/min")
    UserFactory(username="erp")
    UserFactory(username="other")
    attempts = [login(anon_client, "erp") for _ in range(2)]

    # When a third attempt comes, even with the right password
    refused = login(anon_client, "erp", password="pw-for-tests-123")

    # Then it is refused without checking the password, and no token is issued
    assert [response.status_code for response in attempts] == [400, 400]
    assert [quota(response) for response in attempts] == [("2", "1", "45"), ("2", "0", "45")]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "45"
    assert APIToken.objects.count() == 0
    # The username is matched without regard to case or surrounding spaces
    assert login(anon_client, " ERP ").status_code == 429
    # Another user from the same address, and the same user from another address, are not affected
    assert login(anon_client, "other", password="pw-for-tests-123").status_code == 200
    assert login(anon_client, "erp", password="pw-for-tests-123", address="10.0.0.2").status_code == 200


def test_login_ignores_a_forged_forwarded_for_without_trusted_proxies(rates, clock, anon_client):
    # Given no trusted proxy (API_NUM_PROXIES=0, the default)
    rates(login="1/min")
    assert login(anon_client, "erp", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 400

    # When the client rotates X-Forwarded-For, it is still the same address
    assert login(anon_client, "erp", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_login_takes_the_address_from_the_trusted_proxy(rates, clock, anon_client, settings):
    # Given one trusted proxy in front of the app, which appends the client address to X-Forwarded-For
    rates(login="1/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.9.9.9"
    assert login(anon_client, "erp", address=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7").status_code == 400

    # Then what the client put in front of it does not matter, the proxy's entry does
    assert login(anon_client, "erp", address=proxy, HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.7").status_code == 429
    assert login(anon_client, "erp", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 400


def test_a_disabled_scope_sends_no_headers(rates, member_client):
    rates(read="off")
    response = member_client.get(READ)
    assert response.status_code == 200
    assert quota(response) is None


def test_requests_pass_when_the_cache_is_down(rates, member_client):
    # Throttles are a courtesy: an unreachable Redis must not refuse or fail requests
    rates(read="1/min")
    with mock.patch.object(WindowRateThrottle, "_increment", side_effect=ConnectionError("redis down")):
        responses = [member_client.get(READ) for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert quota(responses[0]) is None


def test_unauthenticated_requests_are_refused_before_counting(rates, clock, anon_client):
    rates(read="1/min")
    responses = [anon_client.get(READ) for _ in range(3)]
    assert [response.status_code for response in responses] == [401, 401, 401]
    assert quota(responses[0]) is None


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("120/min", (120, 60)),
        ("5/s", (5, 1)),
        (" 10/hour ", (10, 3600)),
        ("1000/day", (1000, 86400)),
        ("off", None),
        ("", None),
        (None, None),
        ("0/min", None),
    ],
)
def test_parse_rate(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["abc", "10", "10/fortnight", "-1/min", "1.5/min"])
def test_parse_rate_refuses_nonsense(rate):
    with pytest.raises(ValueError, match="is not a rate"):
        parse_rate(rate)


def test_a_bad_rate_fails_the_system_check(rates):
    rates(read="lots/min")
    with pytest.raises(SystemCheckError, match=r"omnitron\.E002"):
        call_command("check")


def test_quota_headers():
    assert Quota(limit=10, remaining=3, reset=7).headers() == {
        "RateLimit-Limit": "10",
        "RateLimit-Remaining": "3",
        "RateLimit-Reset": "7",
    }


REDIS_TEST_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture
def redis_cache():
    """The production cache backend on a scratch Redis database (db 5)."""
    backend = RedisCache(REDIS_TEST_URL, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}})
    try:
        backend.clear()
    except Exception as exc:
        pytest.skip(f"Redis at {REDIS_TEST_URL} is unreachable: {exc}")
    yield backend
    backend.clear()


def test_concurrent_requests_on_redis_are_each_counted_once(redis_cache, clock, rates):
    # Given a quota of 50 on Redis and 80 requests from 8 threads at once
    rates(read="50/min")
    throttle_class = type(
        "Fifty",
        (WindowRateThrottle,),
        {
            "cache": redis_cache,
            "get_scope": lambda self, request, view: "read",
            "get_ident_key": lambda self, request, view: "token:1",
        },
    )
    request = mock.Mock(spec=["_request"])
    request._request = mock.Mock(spec=[])
    barrier = threading.Barrier(8)
    results: list[bool] = []
    lock = threading.Lock()

    def burst():
        barrier.wait(timeout=10)
        for _ in range(10):
            allowed = throttle_class().allow_request(request, None)
            with lock:
                results.append(allowed)

    threads = [threading.Thread(target=burst) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then exactly 50 pass: no increment is lost between app servers sharing the counter
    assert Counter(results) == {True: 50, False: 30}
    key = f"throttle:read:token:1:{int(NOW // 60)}"
    assert redis_cache.get(key) == 80
    assert 0 < redis_cache._cache.get_client(key).ttl(redis_cache.make_key(key)) <= 46
