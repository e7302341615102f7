from decimal import Decimal

import pytest

from omnitron.fields import money_str, rate_str


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("599.9"), "599.90"),
        (Decimal("0"), "0.00"),
        (12, "12.00"),
        (0.1, "0.10"),
        ("7.5", "7.50"),
        (None, None),
    ],
)
def test_money_str(value, expected):
    assert money_str(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("20.0000"), "20.00"),
        (Decimal("8.1250"), "8.125"),
        (18, "18.00"),
        (8.125, "8.125"),
        (None, None),
    ],
)
def test_rate_str(value, expected):
    assert rate_str(value) == expected
