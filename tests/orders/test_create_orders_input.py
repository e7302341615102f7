"""create_orders' input: the view's first try (``create_order_input_validated``) gives exactly the
serializer's validated data, or None where the serializer must run."""

import copy

import pytest

from omnitron.serializers import PresentFieldsValidator
from orders.schema import example_load
from orders.serializers.create import (
    MAX_UNITS_PER_ORDER,
    CreateOrderInputSerializer,
    CreateOrderItemSerializer,
    CreateOrderOrderSerializer,
    create_order_input_validated,
)

# Sent values of every kind: valid for some fields, refused by others.
VALUES = [
    None,
    "",
    " ",
    "abc",
    "  N-1 ",
    "a\x00b",
    "x" * 600,
    0,
    -1,
    1,
    7,
    "1",
    " 12 ",
    1.0,
    1.5,
    "1.50",
    "1.005",
    "12345678901234.5",
    "1e3",
    "NaN",
    "Infinity",
    True,
    False,
    "true",
    [],
    [1],
    {},
    {"a": 1},
    2**63,
    "2025-01-01T00:00:00Z",
    "2025-01-01 10:00:00",
    "2025-01-01",
    "200",
    "waiting",
    "TRY",
    "try",
    "same_day",
    "https://example.com/x",
    "127.0.0.1",
]


def base_body() -> dict:
    """The seed 003 request without what only the serializer handles (read-only keys, the
    nested ``delivery_range`` and the renamed ``fundstransfertransaction_set``)."""
    body = example_load("seed_003_create_orders_request")
    for key in ("created_date", "modified_date", "delivery_range", "fundstransfertransaction_set"):
        body["order"].pop(key, None)
    for item in body["order_item"]:
        item.pop("order", None)
    return body


def serializer_result(body: dict):
    serializer = CreateOrderInputSerializer(data=copy.deepcopy(body))
    return serializer.validated_data if serializer.is_valid() else None


def assert_same(body: dict) -> bool:
    """Whether the first try took ``body``; fails when it gives anything but the serializer's data."""
    sent = copy.deepcopy(body)
    fast = create_order_input_validated(sent)
    assert sent == body  # the input is not changed
    expected = serializer_result(body)
    if fast is None:
        return False
    assert expected is not None, body
    # repr: the same keys in the same order, the same types and the same Decimal exponents
    assert repr(fast) == repr(
        {"order": dict(expected["order"]), "order_item": [dict(i) for i in expected["order_item"]]}
    )
    return True


def test_the_seed_request_and_the_bench_request_take_the_first_try():
    import orjson

    from bench.run import order_body

    assert assert_same(base_body())
    assert assert_same(orjson.loads(order_body("B-1", 1)))


@pytest.mark.parametrize("part", ["order", "order_item"])
def test_every_field_with_every_kind_of_value_gives_the_serializers_data_or_none(part):
    fields = (CreateOrderOrderSerializer if part == "order" else CreateOrderItemSerializer)._declared_fields
    taken = refused = 0
    for name in fields:
        for value in VALUES:
            body = base_body()
            target = body["order"] if part == "order" else body["order_item"][0]
            target[name] = value
            if assert_same(body):
                taken += 1
            else:
                refused += 1
            target.pop(name)
            assert_same(body)  # absent
    # Both outcomes happen, for many fields
    assert taken > 4 * len(fields) // 2 and refused > 4 * len(fields)


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body.update(extra=1),  # an unknown top-level key: the serializer reports it
        lambda body: body.pop("order_item"),
        lambda body: body.update(order_item=[]),
        lambda body: body.update(order_item={}),
        lambda body: body.update(order=[]),
        lambda body: body["order"].update(unknown=1),
        lambda body: body["order"].update(created_date="2025-01-01T00:00:00Z"),  # read-only: ignored, reported
        lambda body: body["order"].update(
            delivery_range={"start": "2025-01-01T00:00:00Z", "end": "2025-01-02T00:00:00Z"}
        ),
        lambda body: body["order"].update(fundstransfertransaction_set=[1]),
        lambda body: body["order"].pop("customer"),
        lambda body: body["order_item"][0].pop("price"),
        lambda body: body["order_item"][0].update(order=1),
        lambda body: body["order_item"].append("x"),
        lambda body: body.update(order_item=[{**body["order_item"][0], "quantity": MAX_UNITS_PER_ORDER}] * 2),
    ],
)
def test_input_only_the_serializer_handles_is_left_to_it(change):
    body = base_body()
    change(body)
    assert create_order_input_validated(copy.deepcopy(body)) is None


def test_a_serializer_with_a_hook_the_first_try_would_skip_is_refused():
    class Hooked(CreateOrderItemSerializer):
        def validate_price(self, value):
            return value

    with pytest.raises(ValueError, match="validate_price"):
        PresentFieldsValidator(Hooked)
    with pytest.raises(ValueError, match="validate"):
        PresentFieldsValidator(CreateOrderInputSerializer)
