"""Who sees which OMS order items: members their channels', staff all, others 404 or nothing."""

import pytest

from tests.conftest import client_for
from tests.factories import ChannelFactory, ChannelMembershipFactory, OrderFactory, OrderItemFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/oms/order_items/"
SIMPLE_URL = "/api/v1/oms/order_items/list-simple/"
LIST_URLS = [LIST_URL, SIMPLE_URL]


@pytest.fixture
def mine(channel):
    return OrderItemFactory(order=OrderFactory(channel=channel, number="SAME-NUMBER"))


@pytest.fixture
def foreign(other_channel):
    return OrderItemFactory(order=OrderFactory(channel=other_channel, number="SAME-NUMBER"))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("url", LIST_URLS)
def test_member_lists_only_their_channels_items(member_client, mine, foreign, url):
    response = member_client.get(url)

    assert ids(response) == [mine.pk]
    assert response.json()["count"] == 1


@pytest.mark.parametrize("url", LIST_URLS)
def test_order_number_of_another_channel_finds_nothing_for_a_member(member_client, mine, foreign, url):
    assert ids(member_client.get(url, {"order_number": "SAME-NUMBER"})) == [mine.pk]
    foreign.order.number = "ONLY-THEIRS"
    foreign.order.save()
    assert ids(member_client.get(url, {"order_number": "ONLY-THEIRS"})) == []


def test_member_gets_404_for_another_channels_item_like_a_missing_one(member_client, mine, foreign):
    foreign_response = member_client.get(f"{LIST_URL}{foreign.pk}/")
    missing_response = member_client.get(f"{LIST_URL}{foreign.pk + 1000}/")

    assert foreign_response.status_code == missing_response.status_code == 404
    assert foreign_response.json() == missing_response.json() == {"detail": "Not found.", "code": "not_found"}
    assert member_client.get(f"{LIST_URL}{mine.pk}/").json()["id"] == mine.pk


@pytest.mark.parametrize("url", LIST_URLS)
def test_staff_see_every_channel(staff_client, mine, foreign, url):
    assert ids(staff_client.get(url)) == [mine.pk, foreign.pk]
    assert ids(staff_client.get(url, {"order_number": "SAME-NUMBER"})) == [mine.pk, foreign.pk]
    assert staff_client.get(f"{LIST_URL}{foreign.pk}/").json()["id"] == foreign.pk


@pytest.mark.parametrize("url", LIST_URLS)
def test_member_of_two_channels_sees_both(channel, other_channel, mine, foreign, url):
    user = UserFactory()
    ChannelMembershipFactory(user=user, channel=channel)
    ChannelMembershipFactory(user=user, channel=other_channel)
    OrderItemFactory(order=OrderFactory(channel=ChannelFactory()))

    assert ids(client_for(user).get(url)) == [mine.pk, foreign.pk]


@pytest.mark.parametrize("url", LIST_URLS)
def test_user_without_channels_sees_nothing(mine, foreign, url):
    client = client_for(UserFactory())

    assert client.get(url).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert client.get(f"{LIST_URL}{mine.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["", "list-simple/", "{pk}/"])
def test_anonymous_caller_gets_401(anon_client, mine, path):
    response = anon_client.get(LIST_URL + path.format(pk=mine.pk))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("pk", ["abc", "-1", "99999999999999999999999"])
def test_malformed_or_huge_ids_answer_404(staff_client, mine, pk):
    assert staff_client.get(f"{LIST_URL}{pk}/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_oms_items_are_read_only(staff_client, mine, method):
    assert getattr(staff_client, method)(f"{LIST_URL}{mine.pk}/", {}).status_code == 405
    assert getattr(staff_client, method)(LIST_URL, {}).status_code == 405
