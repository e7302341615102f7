"""Who sees which channel: members see theirs, staff see all, everything else is 404."""

import pytest

from channels.models import Channel
from channels.selectors import channel_check_access, channel_get_for_user, scope_to_user_channels, user_channel_ids
from omnitron.errors import NotFoundError

pytestmark = pytest.mark.django_db


def test_member_sees_only_their_channels(member, channel, other_channel):
    assert user_channel_ids(member) == [channel.pk]
    assert list(scope_to_user_channels(Channel.objects.all(), member, field="id")) == [channel]
    assert channel_get_for_user(user=member, channel_id=channel.pk) == channel
    channel_check_access(user=member, channel_id=channel.pk)


def test_member_of_a_gets_not_found_on_b(member, other_channel):
    with pytest.raises(NotFoundError):
        channel_get_for_user(user=member, channel_id=other_channel.pk)
    with pytest.raises(NotFoundError):
        channel_check_access(user=member, channel_id=other_channel.pk)


def test_unknown_channel_is_not_found_like_a_foreign_one(member, staff_user):
    for user in (member, staff_user):
        with pytest.raises(NotFoundError):
            channel_check_access(user=user, channel_id=999999)


def test_staff_sees_every_channel(staff_user, channel, other_channel):
    assert user_channel_ids(staff_user) is None
    assert channel_get_for_user(user=staff_user, channel_id=other_channel.pk) == other_channel
