"""The customer lookup channel-app runs before each order: ``email`` or ``phone_number`` plus
``channel``. The client raises if any returned row differs from the asked value, so both are
exact and case-sensitive."""

import pytest

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(channel, other_channel):
    return {
        "ayse": CustomerFactory(channel=channel, email="ayse@example.com", phone_number="05550000001"),
        "ayse_upper": CustomerFactory(channel=channel, email="Ayse@example.com", phone_number="05550000002"),
        "ayse_longer": CustomerFactory(channel=channel, email="ayse@example.com.tr", phone_number="055500000011"),
        "elsewhere": CustomerFactory(channel=other_channel, email="ayse@example.com", phone_number="05550000001"),
    }


def pks(client, channel, params) -> list[int]:
    response = client.get(f"/api/v1/channel/{channel.pk}/customers/", params)
    assert response.status_code == 200, response.content
    return [row["pk"] for row in response.json()["results"]]


def test_email_with_channel_is_exact_and_case_sensitive(member_client, channel, customers):
    assert pks(member_client, channel, {"email": "ayse@example.com", "channel": channel.pk}) == [customers["ayse"].pk]
    assert pks(member_client, channel, {"email": "Ayse@example.com", "channel": channel.pk}) == [
        customers["ayse_upper"].pk
    ]
    assert pks(member_client, channel, {"email": "AYSE@example.com", "channel": channel.pk}) == []
    assert pks(member_client, channel, {"email": "ayse@example", "channel": channel.pk}) == []


def test_phone_number_with_channel_is_exact(member_client, channel, customers):
    assert pks(member_client, channel, {"phone_number": "05550000001", "channel": channel.pk}) == [customers["ayse"].pk]
    assert pks(member_client, channel, {"phone_number": "0555000000", "channel": channel.pk}) == []


def test_channel_other_than_the_paths_matches_nothing(member_client, channel, other_channel, customers):
    assert pks(member_client, channel, {"email": "ayse@example.com", "channel": other_channel.pk}) == []
    assert pks(member_client, channel, {"channel": channel.pk}) == sorted(
        customer.pk for key, customer in customers.items() if key != "elsewhere"
    )
