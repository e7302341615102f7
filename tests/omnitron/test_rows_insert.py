"""``omnitron.db.rows_insert`` passes a value to the database unchanged only where the field's own
conversion would return that very value."""

import pytest
from django.apps import apps
from django.db import connection

from omnitron.db import _insert_params, _insert_plan

# Values of each type a field may pass through unchanged, the edge ones included.
VALUES = {
    type(None): [None],
    str: ["", "x", " a ", "0", "é" * 3],
    int: [0, 1, -5, 2**40 + 1, 2**62],
    bool: [True, False],
}


def project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"orders", "catalog", "channels", "integrations", "omnitron"}
    ]


def test_every_unchanged_type_is_unchanged_for_every_value_of_it():
    checked = 0
    for model in project_models():
        _, _, plan = _insert_plan(model, connection.vendor)
        for field, attname, unchanged in plan:
            assert attname == field.attname
            for kind in unchanged:
                for value in VALUES[kind]:
                    assert field.get_db_prep_save(value, connection) is value, (model, field.name, value)
                    checked += 1
    assert checked > 500


@pytest.mark.parametrize("name", ["extra_field", "created_date", "amount"])
def test_json_dates_and_decimals_are_always_converted(name):
    from orders.models import Order

    _, _, plan = _insert_plan(Order, connection.vendor)
    unchanged = {field.name: kinds for field, _, kinds in plan}[name]
    assert str not in unchanged and int not in unchanged
    if name == "extra_field":
        assert unchanged == frozenset()


def comparable(value) -> tuple:
    """A parameter as it will be sent: a JSON wrapper by what it wraps, anything else by repr (type and value)."""
    return ("json", value.adapted) if hasattr(value, "adapted") else ("value", repr(value))


@pytest.mark.django_db
def test_the_parameters_are_the_fields_own_conversions(channel):
    from decimal import Decimal

    from django.utils import timezone

    from orders.models import Order, OrderItem, OrderStatus
    from tests.factories import OrderFactory

    saved = OrderFactory(channel=channel)
    orders = [
        Order(channel=channel, number="R-1", customer_id=saved.customer_id, currency="try", amount=Decimal("1.50")),
        Order(channel_id=channel.pk, number="", status=OrderStatus.WAITING, remote_addr="", is_send=True,
              installment_count=0, date_placed=timezone.now(), extra_field={"a": [1]}),
    ]  # fmt: skip
    items = [
        OrderItem(order=saved, channel=channel, product_id=1, price=Decimal("2"), tracking_number=None),
        OrderItem(order_id=saved.pk, channel_id=channel.pk, product_id=2**40, price=Decimal("0.00"), is_tradable=False),
    ]
    for objs in (orders, items):
        _, _, plan = _insert_plan(type(objs[0]), connection.vendor)
        stamped = {
            field.attname
            for field, _, _ in plan
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        }
        got = _insert_params(objs, plan, connection)
        expected = [
            field.get_db_prep_save(field.pre_save(obj, add=True), connection) for obj in objs for field, _, _ in plan
        ]
        names = [field.attname for _ in objs for field, _, _ in plan]
        assert [(n, comparable(v)) for n, v in zip(names, got, strict=True) if n not in stamped] == [
            (n, comparable(v)) for n, v in zip(names, expected, strict=True) if n not in stamped
        ]
