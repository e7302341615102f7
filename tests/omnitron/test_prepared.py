"""Queries compiled once: the same rows as ``values()``, IN lists of any length, no query for none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channels.models import Channel
from omnitron.prepared import PreparedValues
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

CHANNELS = PreparedValues(
    lambda ids, name: Channel.objects.filter(pk__in=ids).exclude(name=name).values("id", "name", "conf"),
    kinds=("in", "value"),
)


def test_rows_match_values_for_each_list_length():
    channels = [ChannelFactory(name=f"c{index}", conf={"n": index}) for index in range(4)]
    ids = [channel.pk for channel in channels]
    for count in (1, 3, 2, 4):
        expected = list(Channel.objects.filter(pk__in=ids[:count]).exclude(name="c1").values("id", "name", "conf"))
        assert CHANNELS.rows(set(ids[:count]) | {None}, "c1") == expected


def test_empty_list_answers_no_rows_without_a_query():
    with CaptureQueriesContext(connection) as queries:
        assert CHANNELS.rows(set(), "c1") == []
    assert len(queries) == 0


def test_refuses_a_query_whose_parameters_are_not_its_arguments():
    extra = PreparedValues(lambda ids: Channel.objects.filter(pk__in=ids, name="x").values("id"), kinds=("in",))
    with pytest.raises(ValueError, match="exactly its arguments"):
        extra.rows({1})
