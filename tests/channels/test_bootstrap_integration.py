"""bootstrap_integration: the first integration user of a deployment, with a working token."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from channels.models import ChannelMembership
from omnitron.models import APIToken
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def bootstrap(*args) -> dict:
    out = io.StringIO()
    call_command("bootstrap_integration", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_printed_token_works_on_the_given_channels_only():
    shop, other = ChannelFactory(), ChannelFactory()
    info = bootstrap("erp", "--channel", str(shop.pk))
    user = get_user_model().objects.get(username="erp")
    assert (info["username"], info["channels"]) == ("erp", [shop.pk])
    assert (user.is_staff, user.is_superuser, user.has_usable_password()) == (False, False, False)
    assert list(ChannelMembership.objects.filter(user=user).values_list("channel_id", flat=True)) == [shop.pk]
    assert user.has_perms(["orders.add_order", "orders.change_orderitem", "channels.add_address"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {info['token']}")
    assert client.get(f"/api/v1/channel/{shop.pk}/orders/").status_code == 200
    assert client.get(f"/api/v1/channel/{other.pk}/orders/").status_code == 404


def test_running_again_adds_channels_and_a_new_token_to_the_same_user():
    shop, other = ChannelFactory(), ChannelFactory()
    first = bootstrap("erp", "--channel", str(shop.pk))
    second = bootstrap("erp", "--channel", str(other.pk), "--channel", str(shop.pk), "--token-name", "erp-2")
    assert second["channels"] == sorted([shop.pk, other.pk])
    assert first["token"] != second["token"]
    user = get_user_model().objects.get(username="erp")
    assert sorted(ChannelMembership.objects.filter(user=user).values_list("channel_id", flat=True)) == sorted(
        [shop.pk, other.pk]
    )
    assert sorted(APIToken.objects.filter(user=user).values_list("name", flat=True)) == ["erp-2", "integration"]
    assert user.groups.get().name == "Integrations"


def test_an_unknown_channel_creates_nothing():
    shop = ChannelFactory()
    with pytest.raises(CommandError, match=f"No channel with id {shop.pk + 1}; create it in the admin"):
        bootstrap("erp", "--channel", str(shop.pk), "--channel", str(shop.pk + 1))
    assert not get_user_model().objects.filter(username="erp").exists()
    assert APIToken.objects.count() == 0


def test_the_plain_output_says_how_to_send_the_token():
    shop = ChannelFactory()
    out = io.StringIO()
    call_command("bootstrap_integration", "erp", "--channel", str(shop.pk), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Integration user 'erp', member of channels [{shop.pk}]."
    key = lines[1].removeprefix("  token: ")
    assert APIToken.objects.get(user__username="erp").key_prefix == key[:8]
    assert lines[2] == "  Send it as 'Authorization: Token <token>'. It is not stored and is not shown again."
