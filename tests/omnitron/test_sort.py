"""``sort`` on every list that documents it: a malformed or unknown term answers 400 naming it."""

import re

import pytest

from tests.factories import OrderFactory
from tests.omnitron.schema_routes import fill, openapi, sort_parameter, sorted_lists

pytestmark = pytest.mark.django_db

LISTS = sorted_lists()


def allowed_fields(path: str) -> list[str]:
    """The fields the route's schema pattern admits, ``^-?(?:a|b)(?:,-?(?:a|b))*$`` → [a, b]."""
    match = re.match(r"\^-\?\(\?:([\w|]+)\)", sort_parameter(path)["schema"]["pattern"])
    return match.group(1).split("|")


@pytest.fixture
def url_of(channel):
    order = OrderFactory(channel=channel)
    return lambda path: fill(path, channel_id=channel.pk, id=order.pk)


def test_every_paginated_list_documents_sort():
    paginated = [
        path
        for path, item in openapi()["paths"].items()
        if "get" in item
        and item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        .get("$ref", "")
        .startswith("#/components/schemas/Paginated")
    ]
    assert len(paginated) > 20
    assert sorted(paginated) == sorted(LISTS)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "value, named",
    [
        ("--id", '"--id"'),
        ("id,--id", '"--id"'),
        ("--modified_date", '"--modified_date"'),
        ("-", '"-"'),
        ("id,,id", '""'),
        ("id,", '""'),
        ("id, -id", '" -id"'),
        ("-no_such_field,--id", '"-no_such_field", "--id"'),
    ],
)
def test_a_malformed_sort_answers_400_naming_the_terms(member_client, url_of, path, value, named):
    response = member_client.get(url_of(path), {"sort": value})

    assert response.status_code == 400, response.content
    allowed = ", ".join(sorted(allowed_fields(path)))
    assert response.json() == {
        "sort": [
            f"Unknown sort field(s): {named}. Allowed: {allowed}, "
            "each optionally preceded by one '-', separated by commas."
        ]
    }


@pytest.mark.parametrize("path", LISTS)
def test_each_allowed_field_sorts_both_ways(member_client, url_of, path):
    fields = allowed_fields(path)
    value = ",".join(f"-{name}" if index % 2 else name for index, name in enumerate(fields))

    for query in ({"sort": value}, {"sort": "-id"}, {"sort": ""}):
        response = member_client.get(url_of(path), query)
        assert response.status_code == 200, (query, response.content)


def test_descending_id_orders_the_page(member_client, channel):
    orders = [OrderFactory(channel=channel) for _ in range(3)]

    response = member_client.get(f"/api/v1/channel/{channel.pk}/orders/", {"sort": "-id"})

    assert [row["pk"] for row in response.json()["results"]] == [order.pk for order in reversed(orders)]


@pytest.mark.parametrize("path", LISTS)
def test_the_schema_pattern_is_what_the_server_accepts(path):
    pattern = re.compile(sort_parameter(path)["schema"]["pattern"])
    fields = allowed_fields(path)

    assert pattern.fullmatch(f"-{fields[0]}")
    assert pattern.fullmatch(",".join(fields))
    for bad in ("--id", "id,", ",id", "id,,id", " id", "unknown"):
        assert not pattern.fullmatch(bad), bad
