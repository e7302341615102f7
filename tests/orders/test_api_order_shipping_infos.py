"""POST /api/v1/channel/{id}/order_shipping_infos/: the shipping company as cargo id, object or code."""

import pytest

from orders.models import OrderShippingInfo
from tests.database_state import database_state
from tests.factories import CargoCompanyFactory, OrderFactory

pytestmark = pytest.mark.django_db


def url(channel) -> str:
    return f"/api/v1/channel/{channel.pk}/order_shipping_infos/"


@pytest.fixture
def order(channel):
    return OrderFactory(channel=channel, number="MP-1001")


@pytest.fixture
def cargo(db):
    return CargoCompanyFactory(name="Aras", erp_code="ARAS-1", shipping_company="aras")


def answer(info: OrderShippingInfo) -> dict:
    return {
        "pk": info.pk,
        "order": info.order_id,
        "order_number": info.order.number,
        "shipping_company": info.shipping_company,
        "cargo_company": info.cargo_company_id,
        "is_send": info.is_send,
        "created_date": info.created_date.isoformat().replace("+00:00", "Z"),
        "modified_date": info.modified_date.isoformat().replace("+00:00", "Z"),
    }


@pytest.mark.parametrize(
    "shipping_company, expected",
    [
        (lambda cargo: cargo.pk, "cargo"),
        (lambda cargo: str(cargo.pk), "cargo"),
        (
            lambda cargo: {"pk": cargo.pk, "name": "Aras", "erp_code": "ARAS-1", "shipping_company": "aras"},
            "cargo",
        ),
        (lambda cargo: "ARAS-1", "cargo"),
        (lambda cargo: "yurtici", "code"),
    ],
    ids=["pk", "pk as text", "cargo object", "erp_code", "shipping-company code"],
)
def test_create_records_the_shipping_info(member_client, channel, order, cargo, shipping_company, expected):
    body = {"order": order.pk, "order_number": "MP-1001", "shipping_company": shipping_company(cargo), "is_send": True}

    response = member_client.post(url(channel), body, format="json")

    assert response.status_code == 201, response.content
    info = OrderShippingInfo.objects.select_related("order").get()
    assert response.json() == answer(info)
    if expected == "cargo":
        assert (info.order_id, info.cargo_company_id, info.shipping_company, info.is_send) == (
            order.pk,
            cargo.pk,
            "aras",
            True,
        )
    else:
        assert (info.order_id, info.cargo_company_id, info.shipping_company, info.is_send) == (
            order.pk,
            None,
            "yurtici",
            True,
        )


def test_is_send_defaults_to_false_and_order_number_is_optional(member_client, channel, order, cargo):
    response = member_client.post(url(channel), {"order": str(order.pk), "shipping_company": cargo.pk}, format="json")

    assert response.status_code == 201, response.content
    assert (response.json()["is_send"], response.json()["order_number"]) == (False, "MP-1001")


@pytest.mark.parametrize(
    "body, errors",
    [
        (
            lambda o, f, c, i: {"order": f.pk, "shipping_company": c.pk},
            lambda o, f, c, i: {"order": [f'Invalid pk "{f.pk}" - object does not exist.']},
        ),
        (
            lambda o, f, c, i: {"order": o.pk, "order_number": "OTHER", "shipping_company": c.pk},
            lambda o, f, c, i: {"order_number": ["Must be the number of the order (MP-1001); got OTHER."]},
        ),
        (
            lambda o, f, c, i: {"order": o.pk, "shipping_company": i.pk},
            lambda o, f, c, i: {
                "shipping_company": [
                    f"No active cargo company or shipping company matches '{i.pk}'. "
                    "A cargo company's id, the cargo company object read from `cargos/{id}/` (its `pk` decides), "
                    "or a shipping-company code (`yurtici`, ...) or a cargo company's `erp_code`."
                ]
            },
        ),
        (
            lambda o, f, c, i: {"order": o.pk, "shipping_company": True},
            lambda o, f, c, i: {"shipping_company": ["Expected a cargo company id, a cargo company object or a code."]},
        ),
        (
            lambda o, f, c, i: {"order": o.pk, "shipping_company": {"erp_code": "ARAS-1"}},
            lambda o, f, c, i: {"shipping_company": ["Expected a cargo company id, a cargo company object or a code."]},
        ),
        (
            lambda o, f, c, i: {"order": "x", "shipping_company": c.pk},
            lambda o, f, c, i: {"order": ["Incorrect type. Expected pk value, received str."]},
        ),
    ],
    ids=["order of another channel", "wrong order number", "inactive cargo", "boolean", "object without pk", "bad id"],
)
def test_refusals_write_nothing(member_client, channel, other_channel, order, cargo, body, errors):
    foreign = OrderFactory(channel=other_channel)
    inactive = CargoCompanyFactory(is_active=False)
    before = database_state()

    response = member_client.post(url(channel), body(order, foreign, cargo, inactive), format="json")

    assert response.status_code == 400
    assert response.json() == errors(order, foreign, cargo, inactive)
    assert database_state() == before


def test_an_erp_code_two_cargo_companies_share_names_none(member_client, channel, order):
    CargoCompanyFactory(erp_code="SHARED")
    CargoCompanyFactory(erp_code="SHARED")

    response = member_client.post(url(channel), {"order": order.pk, "shipping_company": "SHARED"}, format="json")

    assert response.status_code == 400
    assert OrderShippingInfo.objects.count() == 0


def test_create_needs_the_add_permission(readonly_member_client, channel, order, cargo):
    response = readonly_member_client.post(
        url(channel), {"order": order.pk, "shipping_company": cargo.pk}, format="json"
    )

    assert response.status_code == 403
    assert OrderShippingInfo.objects.count() == 0


def test_there_is_no_list(member_client, channel):
    assert member_client.get(url(channel)).status_code == 405
