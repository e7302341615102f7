"""The status table: every allowed move, a sample of forbidden ones, and the order-status rule."""

import pytest

from orders.statuses import (
    STATUS_INFO,
    allowed_transitions,
    order_status_from_items,
    parse_status,
    status_catalogue,
    transition_error,
)

ALLOWED = {
    "50": ["100"],
    "100": [],
    "200": ["50", "100", "300", "350", "400", "450", "500", "510", "520", "540", "550"],
    "300": ["50", "100", "350", "400", "450", "500", "510", "520", "540", "550"],
    "350": ["50", "100", "400", "450", "500", "510", "520", "540", "550"],
    "400": ["50", "100", "450", "500", "510", "520", "540", "550"],
    "450": ["50", "100", "500", "510", "520", "540", "550"],
    "500": ["510", "520", "540", "550", "600"],
    "510": ["520", "540", "550", "600"],
    "520": ["540", "550", "600"],
    "540": ["500", "520", "550", "600"],
    "544": ["545", "550", "600"],
    "545": ["546", "550", "600"],
    "546": ["547", "600"],
    "547": [],
    "550": ["544", "600"],
    "600": [],
}


def test_the_table_covers_every_status():
    assert set(ALLOWED) == set(STATUS_INFO)


@pytest.mark.parametrize("current", sorted(ALLOWED, key=int))
def test_allowed_moves_from_each_status(current):
    assert allowed_transitions(current) == ALLOWED[current]
    for target in ALLOWED[current]:
        assert transition_error(current, target) is None


@pytest.mark.parametrize(
    "current, target",
    [
        ("550", "200"),
        ("500", "100"),
        ("500", "50"),
        ("100", "200"),
        ("600", "550"),
        ("547", "600"),
        ("400", "350"),
        ("200", "600"),
        ("546", "550"),
        ("50", "400"),
        ("520", "500"),
    ],
)
def test_forbidden_moves(current, target):
    assert transition_error(current, target) is not None


def test_forbidden_move_message_lists_the_allowed_moves():
    assert transition_error("550", "200") == ("Cannot move from 550 (delivered) to 200 (waiting); allowed: 544, 600.")
    assert transition_error("100", "200") == (
        "Cannot move from 100 (canceled) to 200 (waiting); allowed: none (final status)."
    )


def test_setting_the_same_status_is_a_no_op():
    for code in STATUS_INFO:
        assert transition_error(code, code) is None


def test_rejected_cancellation_returns_to_the_previous_status():
    assert allowed_transitions("50", before_cancellation="400") == ["100", "400"]
    assert transition_error("50", "400", before_cancellation="400") is None
    assert transition_error("50", "450", before_cancellation="400") is not None


@pytest.mark.parametrize(
    "value, code",
    [
        ("400", "400"),
        (400, "400"),
        ("approved", "400"),
        ("APPROVED", "400"),
        ("canceled", "100"),
        ("cancelled", "100"),
        ("cancellation_waiting", "50"),
        (" 550 ", "550"),
        ("nope", None),
        ("", None),
        (None, None),
        (True, None),
        ("401", None),
    ],
)
def test_parse_status_accepts_codes_and_names(value, code):
    assert parse_status(value) == code


@pytest.mark.parametrize(
    "items, expected",
    [
        (["400", "500"], "400"),
        (["100", "500"], "500"),
        (["100", "100"], "100"),
        (["100", "600"], "600"),
        (["600", "600"], "600"),
        (["50", "400"], "50"),
        (["600", "550"], "550"),
        ([], None),
    ],
)
def test_order_status_follows_its_items(items, expected):
    assert order_status_from_items(items) == expected


def test_catalogue_has_translations_and_moves():
    entry = next(row for row in status_catalogue() if row["code"] == "450")
    assert entry == {
        "code": "450",
        "name": "preparing",
        "label": "Preparing",
        "translations": {"en-us": {"name": "Preparing"}, "tr-tr": {"name": "Hazırlanıyor"}},
        "is_final": False,
        "allowed_next": ["50", "100", "500", "510", "520", "540", "550"],
    }
    assert [row["code"] for row in status_catalogue()] == sorted(STATUS_INFO, key=int)
