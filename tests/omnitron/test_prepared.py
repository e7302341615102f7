"""Queries compiled once: the same rows as ``values()``, IN lists of any length, no query for none."""

import pytest
from django.db import connection
from django.db.models import Count, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from channels.models import Channel
from omnitron.prepared import PreparedCount, PreparedValues, count_query
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


JSON_VALUES = [
    {"n": 1, "nested": {"list": [1, 2.5, "ü", None, True]}},
    [],
    "a string",
    12345678901234567890123,  # beyond 64 bits: read exactly (orjson would make it a float)
    {"barcode": "1234567890123456789", "price": 0.1, "big": -9223372036854775808},
    [0.000125, -2.5],
]


@pytest.mark.parametrize("value", JSON_VALUES)
def test_json_columns_read_as_values_reads_them(value):
    channel = ChannelFactory(name="json", conf=value)

    rows = CHANNELS.rows({channel.pk}, "other")

    assert rows == list(Channel.objects.filter(pk=channel.pk).values("id", "name", "conf"))
    assert rows == [{"id": channel.pk, "name": "json", "conf": value}]


def test_json_columns_are_decoded_by_the_driver_on_postgresql_else_by_the_field():
    channel = ChannelFactory(name="json", conf={"a": 1})
    CHANNELS.rows({channel.pk}, "other")
    _pieces, _names, _compiler, converters, json_cast = CHANNELS._prepared["default"]
    conf = 2  # id, name, conf
    if connection.vendor == "postgresql":
        assert json_cast is True and conf not in converters
        with connection.cursor() as cursor:  # another cursor of the connection keeps Django's reading
            cursor.execute("SELECT conf FROM channels_channel WHERE id = %s", [channel.pk])
            assert cursor.fetchone() == ('{"a": 1}',)
    else:
        assert json_cast is False and conf in converters


CHANNEL_COUNT = PreparedCount(
    lambda ids, name: Channel.objects.filter(pk__in=ids).exclude(name=name).order_by("id"), kinds=("in", "value")
)


def test_a_prepared_count_runs_the_statement_count_runs_and_counts_the_same():
    channels = [ChannelFactory(name=f"n{index}") for index in range(3)]
    ids = {channel.pk for channel in channels}
    expected = Channel.objects.filter(pk__in=sorted(ids)).exclude(name="n1").order_by("id")
    with CaptureQueriesContext(connection) as usual:
        assert expected.count() == 2
    CHANNEL_COUNT.count(ids, "n1")  # compiled on first use
    with CaptureQueriesContext(connection) as prepared:
        assert CHANNEL_COUNT.count(ids, "n1") == 2
    assert [query["sql"] for query in prepared.captured_queries] == [usual.captured_queries[0]["sql"]]
    assert CHANNEL_COUNT.count({channels[1].pk}, "n1") == 0
    with CaptureQueriesContext(connection) as none:
        assert CHANNEL_COUNT.count(set(), "n1") == 0
    assert len(none) == 0


def test_a_prepared_count_refuses_a_count_whose_parameters_are_not_its_arguments():
    fixed = PreparedCount(lambda ids: Channel.objects.filter(pk__in=ids, name="x"), kinds=("in",))
    with pytest.raises(ValueError, match="exactly its arguments"):
        fixed.count({1})


def test_the_kept_cursor_follows_a_new_connection_and_the_statement_log():
    channel = ChannelFactory(name="kept", conf={"k": 1})
    expected = [{"id": channel.pk, "name": "kept", "conf": {"k": 1}}]
    assert CHANNELS.rows({channel.pk}, "other") == expected
    with CaptureQueriesContext(connection) as logged:  # logging switched on: a logging cursor
        assert CHANNELS.rows({channel.pk}, "other") == expected
    assert len(logged) == 1 and str(channel.pk) in logged[0]["sql"]
    with CaptureQueriesContext(connection) as again:
        assert CHANNELS.rows({channel.pk}, "other") == expected
    assert len(again) == 1


@pytest.mark.django_db(transaction=True)
def test_the_kept_cursor_is_replaced_after_the_connection_closes():
    channel = ChannelFactory(name="reopened", conf={})
    assert CHANNELS.rows({channel.pk}, "other")[0]["name"] == "reopened"
    connection.close()
    assert CHANNELS.rows({channel.pk}, "other")[0]["name"] == "reopened"
    with connection.cursor() as cursor:  # the connection's own cursors are unaffected
        cursor.execute("SELECT name FROM channels_channel WHERE id = %s", [channel.pk])
        assert cursor.fetchone() == ("reopened",)


def test_a_constant_of_the_query_stays_bound_as_compiled():
    # Given a query that binds a value of its own (a Coalesce default) besides its argument
    channels = [ChannelFactory(name=f"k{index}", conf={}) for index in range(3)]
    ids = [channel.pk for channel in channels]
    build = lambda ids: (  # noqa: E731
        Channel.objects.filter(pk__in=ids).annotate(label=Coalesce("name", Value("none"))).values("id", "label")
    )
    prepared = PreparedValues(build, kinds=("in",), constants=("none",))
    # When it runs for two ids, Then it answers what the ORM does, with the ORM's statement
    with CaptureQueriesContext(connection) as orm:
        expected = list(build(ids[:2]))
    with CaptureQueriesContext(connection) as queries:
        rows = prepared.rows(set(ids[:2]))
    assert rows == expected == [{"id": ids[0], "label": "k0"}, {"id": ids[1], "label": "k1"}]
    assert [query["sql"] for query in queries.captured_queries] == [query["sql"] for query in orm.captured_queries]
    assert 'COALESCE("channels_channel"."name", \'none\')' in orm.captured_queries[0]["sql"]


def test_refuses_a_parameter_that_is_neither_an_argument_nor_a_constant():
    build = lambda ids: Channel.objects.filter(pk__in=ids).annotate(label=Coalesce("name", Value("x"))).values("label")  # noqa: E731
    with pytest.raises(ValueError, match="exactly its arguments"):
        PreparedValues(build, kinds=("in",), constants=("y",)).rows({1})


def test_values_list_answers_the_orm_values_list_rows():
    channels = [ChannelFactory(name=f"v{index}", conf={"n": index}) for index in range(2)]
    ids = {channel.pk for channel in channels}
    expected = list(Channel.objects.filter(pk__in=ids).exclude(name="v1").values_list("id", "name", "conf"))
    assert [tuple(row) for row in CHANNELS.values_list(ids, "v1")] == expected == [(min(ids), "v0", {"n": 0})]


def test_a_prepared_count_sends_the_statement_count_sends():
    # Given three channels, two of them asked for
    channels = [ChannelFactory(name=f"n{index}") for index in range(3)]
    ids = [channels[0].pk, channels[2].pk]
    build = lambda ids, name: Channel.objects.filter(pk__in=ids).exclude(name=name).order_by("-id")  # noqa: E731
    counted = PreparedCount(build, kinds=("in", "value"))
    # When both count, Then they answer the same number with the same statement
    with CaptureQueriesContext(connection) as orm:
        assert build(ids, "n0").count() == 1
    with CaptureQueriesContext(connection) as prepared:
        assert counted.count(ids, "n0") == 1
    assert [query["sql"] for query in prepared.captured_queries] == [query["sql"] for query in orm.captured_queries]
    assert orm.captured_queries[0]["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "channels_channel" WHERE')


def test_a_prepared_count_of_no_ids_is_zero_without_a_query():
    counted = PreparedCount(lambda ids: Channel.objects.filter(pk__in=ids), kinds=("in",))
    with CaptureQueriesContext(connection) as queries:
        assert counted.count([]) == 0
    assert len(queries) == 0


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Channel.objects.distinct(),
        lambda: Channel.objects.all()[:5],
        lambda: Channel.objects.values("name").annotate(n=Count("id")),
    ],
)
def test_count_query_refuses_a_query_count_counts_in_a_subquery(queryset):
    with pytest.raises(ValueError, match="subquery"):
        count_query(queryset())
