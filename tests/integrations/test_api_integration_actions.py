"""integration_actions/: the §2.6 filters, create by id or model name, PATCH of the object read
back, DELETE, and deleted/."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalog.models import Product
from integrations.models import IntegrationAction
from orders.models import Order
from tests.database_state import database_state
from tests.factories import OrderFactory, OrderItemFactory, ProductFactory, ProductPriceFactory
from tests.integrations.conftest import ias_url, iso
from tests.query_counts import queries_per_full_page

pytestmark = pytest.mark.django_db


def ct(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def make_ia(channel, obj, **fields) -> IntegrationAction:
    return IntegrationAction.objects.create(channel=channel, content_type=ct(type(obj)), object_id=obj.pk, **fields)


@pytest.fixture
def rows(channel, other_channel):
    """Two orders and an item with IAs in the channel, one IA of the other channel."""
    first, second = OrderFactory(channel=channel), OrderFactory(channel=channel)
    item = OrderItemFactory(order=first)
    batch = uuid.uuid4()
    ias = {
        "first": make_ia(channel, first, remote_id="R-1", status="success"),
        "second": make_ia(channel, second, remote_id="R-2", status="processing", local_batch_id=batch),
        "item": make_ia(channel, item, remote_id="R-1", status="success"),
        "foreign": make_ia(other_channel, OrderFactory(channel=other_channel), remote_id="R-1", status="success"),
    }
    return ias, batch


def listed(client, channel, params=None, **more) -> list[int]:
    response = client.get(ias_url(channel.pk), {**(params or {}), **more})
    assert response.status_code == 200, response.content
    return [row["pk"] for row in response.json()["results"]]


def test_the_shape_of_an_integration_action(member_client, channel, rows):
    ias, _ = rows
    ia = ias["first"]
    order = Order.objects.get(pk=ia.object_id)

    response = member_client.get(ias_url(channel.pk, ia.pk))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "pk": ia.pk,
        "id": ia.pk,
        "channel": body["channel"],
        "content_type": {"id": ct(Order).pk, "app_label": "orders", "model": "order"},
        "object_id": order.pk,
        "remote_id": "R-1",
        "version_date": None,
        "state": {},
        "local_batch_id": None,
        "status": "success",
        "content_object": {"pk": order.pk, "id": order.pk, "modified_date": iso(order.modified_date)},
        "created_date": iso(ia.created_date),
        "modified_date": iso(ia.modified_date),
    }
    assert (body["channel"]["pk"], body["channel"]["id"]) == (channel.pk, channel.pk)


def test_content_object_is_null_when_the_object_is_gone(member_client, channel, rows):
    ias, _ = rows
    Order.objects.filter(pk=ias["second"].object_id).delete()

    response = member_client.get(ias_url(channel.pk, ias["second"].pk))

    assert response.json()["content_object"] is None


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["first", "second", "item"]),
        ({"content_type_name": "order"}, ["first", "second"]),
        ({"content_type_name": "orderitem"}, ["item"]),
        ({"content_type_name": "nosuchmodel"}, []),
        ({"remote_id__exact": "R-1"}, ["first", "item"]),
        ({"remote_id__exact": "R-"}, []),
        ({"remote_id__in": "R-2,R-9"}, ["second"]),
        ({"status": "processing"}, ["second"]),
        ({"status": "success", "content_type_name": "order"}, ["first"]),
        ({"channel": "self"}, ["first", "second", "item"]),
        ({"channel_id": "self"}, ["first", "second", "item"]),
        ({"channel_id": "other"}, []),
    ],
)
def test_list_filters_are_exact(member_client, channel, other_channel, rows, params, expected):
    ias, _ = rows
    params = {key: {"self": channel.pk, "other": other_channel.pk}.get(value, value) for key, value in params.items()}

    assert listed(member_client, channel, params) == [ias[name].pk for name in expected]


def test_object_id_and_batch_filters(member_client, channel, rows):
    ias, batch = rows
    first, second = ias["first"], ias["second"]

    assert listed(member_client, channel, object_id=first.object_id, content_type_name="order") == [first.pk]
    assert listed(
        member_client, channel, object_id__in=f"{first.object_id},{second.object_id}", content_type_name="order"
    ) == [first.pk, second.pk]
    assert listed(member_client, channel, local_batch_id=str(batch), status="processing") == [second.pk]


def test_sort_by_version_date(member_client, channel, rows):
    ias, _ = rows
    IntegrationAction.objects.filter(pk=ias["first"].pk).update(version_date="2030-01-01T00:00:00Z")
    IntegrationAction.objects.filter(pk=ias["second"].pk).update(version_date="2029-01-01T00:00:00Z")
    IntegrationAction.objects.filter(pk=ias["item"].pk).update(version_date="2031-01-01T00:00:00Z")

    assert listed(member_client, channel, sort="version_date") == [ias[n].pk for n in ("second", "first", "item")]
    assert listed(member_client, channel, sort="id") == [ias[n].pk for n in ("first", "second", "item")]


def test_bad_filter_values_are_400(member_client, channel, rows):
    for params in ({"object_id": "x"}, {"object_id__in": "1,x"}, {"local_batch_id": "nope"}, {"status": "odd"}):
        response = member_client.get(ias_url(channel.pk), params)
        assert response.status_code == 400, params
        assert list(response.json()) == list(params)


def test_the_list_query_count_does_not_grow_with_the_page(member_client, channel):
    for _ in range(12):
        make_ia(channel, OrderFactory(channel=channel), remote_id="X", status="success")

    counts = queries_per_full_page(member_client, ias_url(channel.pk), {"content_type_name": "order"})

    assert counts[0] == counts[1]


@pytest.mark.parametrize("content_type_key", ["content_type_id", "content_type", "content_type_model"])
def test_create_by_content_type_id_or_model_name(member_client, channel, content_type_key):
    order = OrderFactory(channel=channel)
    value = ct(Order).pk if content_type_key == "content_type_id" else "order"

    response = member_client.post(
        ias_url(channel.pk),
        {
            "channel_id": channel.pk,
            content_type_key: value,
            "version_date": iso(order.modified_date),
            "object_id": str(order.pk),
            "remote_id": 5501,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    ia = IntegrationAction.objects.get()
    assert (ia.channel_id, ia.content_type_id, ia.object_id, ia.remote_id, ia.version_date, ia.status) == (
        channel.pk,
        ct(Order).pk,
        order.pk,
        "5501",
        order.modified_date,
        "success",
    )
    assert (response.json()["object_id"], response.json()["remote_id"]) == (order.pk, "5501")


def test_create_refuses_a_second_action_for_the_same_object(member_client, channel, rows):
    ias, _ = rows
    before = database_state()

    response = member_client.post(
        ias_url(channel.pk),
        {"content_type": "order", "object_id": ias["first"].object_id, "remote_id": "again"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            f"The channel already has an integration action for order {ias['first'].object_id} "
            f"(pk {ias['first'].pk}); PATCH that one."
        ]
    }
    assert database_state() == before


def test_create_needs_a_known_content_type_and_an_object(member_client, channel):
    before = database_state()

    missing = member_client.post(ias_url(channel.pk), {"remote_id": "x"}, format="json")
    unknown = member_client.post(ias_url(channel.pk), {"content_type": "nosuch", "object_id": 1}, format="json")

    assert missing.status_code == unknown.status_code == 400
    assert missing.json() == {
        "content_type": ["Send content_type_id or a model name in content_type."],
        "object_id": ["This field is required."],
    }
    assert unknown.json() == {"content_type": ["Unknown content type 'nosuch'; send a model name."]}
    assert database_state() == before


def test_patch_accepts_the_whole_object_read_back(member_client, channel, rows):
    ias, _ = rows
    ia = ias["first"]
    read = member_client.get(ias_url(channel.pk, ia.pk)).json()
    echoed = {**read, "content_type_id": read.pop("content_type")["id"], "remote_id": "CHANGED", "state": {"a": 1}}
    del echoed["content_type"]

    response = member_client.patch(ias_url(channel.pk, ia.pk), echoed, format="json")

    assert response.status_code == 200, response.content
    ia.refresh_from_db()
    assert (ia.remote_id, ia.state, ia.object_id, ia.status) == ("CHANGED", {"a": 1}, read["object_id"], "success")
    assert response.json()["remote_id"] == "CHANGED"
    assert "pk" in response.headers["Ignored-Fields"]


def test_patch_under_strict_handling_refuses_read_only_keys(member_client, channel, rows):
    ias, _ = rows
    before = database_state()

    response = member_client.patch(
        ias_url(channel.pk, ias["first"].pk), {"pk": 1, "remote_id": "X"}, format="json", HTTP_PREFER="handling=strict"
    )

    assert response.status_code == 400
    assert response.json() == {"pk": ["Unknown field."]}
    assert database_state() == before


def test_delete_removes_the_action(member_client, channel, rows):
    ias, _ = rows

    response = member_client.delete(ias_url(channel.pk, ias["item"].pk))

    assert response.status_code == 204
    assert not IntegrationAction.objects.filter(pk=ias["item"].pk).exists()


def test_deleted_lists_product_actions_whose_product_left_the_channel(member_client, channel):
    price_list = channel.catalog.price_list
    kept, inactive, unpriced, gone = (ProductFactory() for _ in range(4))
    for product in (kept, inactive):
        ProductPriceFactory(product=product, price_list=price_list)
    Product.objects.filter(pk=inactive.pk).update(is_active=False)
    ias = {
        name: make_ia(channel, p, remote_id=f"SKU-{p.pk}", status="success")
        for name, p in (("kept", kept), ("inactive", inactive), ("unpriced", unpriced), ("gone", gone))
    }
    gone_pk = gone.pk
    gone.delete()

    response = member_client.get(
        reverse("channel:integration-action-deleted", kwargs={"channel_id": channel.pk}),
        {"model": "product", "channel_id": channel.pk, "limit": 100, "page": 1},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [(row["pk"], row["object_id"], row["content_type"]["model"]) for row in body["results"]] == [
        (ias["inactive"].pk, inactive.pk, "product"),
        (ias["unpriced"].pk, unpriced.pk, "product"),
        (ias["gone"].pk, gone_pk, "product"),
    ]
    assert body["results"][2]["content_object"] is None
    assert body["next"] is None


def test_deleted_for_a_model_without_a_rule_is_400(member_client, channel):
    response = member_client.get(
        reverse("channel:integration-action-deleted", kwargs={"channel_id": channel.pk}), {"model": "order"}
    )

    assert response.status_code == 400
    assert response.json() == {"model": ["One of: product."]}


def test_one_action_per_channel_content_type_and_object(channel):
    order = OrderFactory(channel=channel)
    make_ia(channel, order)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_ia(channel, order)
    assert IntegrationAction.objects.count() == 1
