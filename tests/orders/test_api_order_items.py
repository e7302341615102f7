"""GET /api/v1/channel/{id}/order_items/ (+ detailed, detailed_integration, retrieve)."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from channels.models import IntegrationMapping
from orders.models import OrderItem, PaymentTransaction
from orders.serializers.items import (
    OrderItemDetailedIntegrationSerializer,
    OrderItemDetailedSerializer,
    OrderItemSerializer,
)
from tests.factories import OrderFactory, OrderItemFactory, ProductFactory, ProductImageFactory
from tests.query_counts import CaptureQueriesContext

pytestmark = pytest.mark.django_db

SEED = json.loads((Path(__file__).resolve().parent.parent / "seeds" / "seed_000_order_items.json").read_text())
BASE = "/api/v1/channel/{}/order_items/"
VARIANTS = ["", "detailed/", "detailed_integration/"]


@pytest.fixture
def items(channel, other_channel):
    """Three items in ``channel`` (two orders) and one in ``other_channel``."""
    first = OrderFactory(channel=channel, number="A-1", status="400")
    second = OrderFactory(channel=channel, number="A-2", status="550")
    a = OrderItemFactory(order=first, status="400")
    b = OrderItemFactory(order=first, status="400", cancel_status="waiting")
    c = OrderItemFactory(order=second, status="550")
    foreign = OrderItemFactory(order=OrderFactory(channel=other_channel, number="A-1"))
    return a, b, c, foreign


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["pk"] for row in response.json()["results"]]


@pytest.mark.parametrize("variant", VARIANTS)
def test_list_shows_only_the_channels_items(member_client, channel, items, variant):
    a, b, c, foreign = items
    response = member_client.get(BASE.format(channel.pk) + variant)
    assert ids(response) == [a.pk, b.pk, c.pk]
    assert response.json()["count"] == 3


@pytest.mark.parametrize("variant", [*VARIANTS, "{item}/"])
def test_another_channels_path_is_404(member_client, other_channel, items, variant):
    response = member_client.get(BASE.format(other_channel.pk) + variant.format(item=items[3].pk))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_unknown_channel_is_404_for_staff_too(staff_client):
    assert staff_client.get(BASE.format(999999)).status_code == 404


def test_another_channels_item_is_404_under_own_channel(member_client, channel, items):
    foreign = items[3]
    assert member_client.get(BASE.format(channel.pk) + f"{foreign.pk}/").status_code == 404
    response = member_client.patch(BASE.format(channel.pk) + f"{foreign.pk}/", {"shipment_code": "X"}, format="json")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.shipment_code is None


def test_staff_sees_any_channel(staff_client, other_channel, items):
    assert ids(staff_client.get(BASE.format(other_channel.pk))) == [items[3].pk]


def test_anonymous_is_401(anon_client, channel):
    assert anon_client.get(BASE.format(channel.pk)).status_code == 401


def test_retrieve_returns_the_flat_item(member_client, channel, items):
    a = items[0]
    body = member_client.get(BASE.format(channel.pk) + f"{a.pk}/").json()
    assert body["pk"] == a.pk and body["order"] == a.order_id and body["product"] == a.product_id
    assert body["price"] == "100.00" and body["tax_rate"] == "20.00" and body["status"] == "400"
    assert body["price_list"] == channel.catalog.price_list_id and body["stock_list"] == channel.catalog.stock_list_id


# --- filters: a matching and a non-matching value each ------------------------------------------


def filtered(client, channel, query: str) -> list[int]:
    return ids(client.get(BASE.format(channel.pk) + "?" + query))


def test_filter_status_by_code_and_name(member_client, channel, items):
    a, b, c, _ = items
    assert filtered(member_client, channel, "status=400") == [a.pk, b.pk]
    assert filtered(member_client, channel, "status=approved") == [a.pk, b.pk]
    assert filtered(member_client, channel, "status=delivered") == [c.pk]
    assert filtered(member_client, channel, "status=100") == []
    assert filtered(member_client, channel, "status__in=400,delivered") == [a.pk, b.pk, c.pk]


def test_filter_order_id(member_client, channel, items):
    a, b, c, foreign = items
    assert filtered(member_client, channel, f"order_id={c.order_id}") == [c.pk]
    assert filtered(member_client, channel, f"order_id={foreign.order_id}") == []


def test_filter_product_sku(member_client, channel, items):
    a = items[0]
    assert filtered(member_client, channel, f"product__sku={a.product.sku}") == [a.pk]
    assert filtered(member_client, channel, "product__sku=NOPE") == []


def test_filter_order_number(member_client, channel, items):
    a, b, c, _ = items
    assert filtered(member_client, channel, "order__number=A-1") == [a.pk, b.pk]
    assert filtered(member_client, channel, "order__number=A-9") == []


def test_filter_cancel_status(member_client, channel, items):
    assert filtered(member_client, channel, "cancel_status=waiting") == [items[1].pk]
    assert filtered(member_client, channel, "cancel_status=completed") == []


def test_filter_pk_in(member_client, channel, items):
    a, b, c, foreign = items
    assert filtered(member_client, channel, f"pk__in={a.pk},{c.pk},{foreign.pk}") == [a.pk, c.pk]
    assert filtered(member_client, channel, "pk__in=999999") == []


def test_filter_transaction_id(member_client, channel, items):
    a, b, c, _ = items
    transaction = PaymentTransaction.objects.create(order=c.order, amount="10.00", currency="try", remote_id="R1")
    other = PaymentTransaction.objects.create(order=items[3].order, amount="10.00", currency="try")
    assert filtered(member_client, channel, f"transaction_id={transaction.pk}") == [c.pk]
    assert filtered(member_client, channel, f"transaction_id={other.pk}") == []


def test_filter_mapping_type_and_code(member_client, channel, items):
    a, b, c, _ = items
    content_type = ContentType.objects.get_for_model(OrderItem)
    IntegrationMapping.objects.create(
        content_type=content_type, object_id=a.pk, integration_type="external_company", code="ERP-1"
    )
    IntegrationMapping.objects.create(
        content_type=content_type, object_id=b.pk, integration_type="trendyol", code="ERP-1"
    )
    assert filtered(member_client, channel, "mapping__integration_type=external_company") == [a.pk]
    assert filtered(member_client, channel, "mapping__integration_type=amazon") == []
    assert filtered(member_client, channel, "mapping__code__exact=ERP-1") == [a.pk, b.pk]
    assert filtered(member_client, channel, "mapping__code__exact=ERP-2") == []
    assert filtered(member_client, channel, "mapping__integration_type=trendyol&mapping__code__exact=ERP-1") == [b.pk]
    assert filtered(member_client, channel, "mapping__integration_type=external_company&mapping__code__exact=X") == []


def test_filter_dates(member_client, channel, items):
    a, b, c, _ = items
    old = timezone.now() - timedelta(days=10)
    OrderItem.objects.filter(pk=a.pk).update(created_date=old, modified_date=old)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    quoted = since.replace("+", "%2B")
    assert filtered(member_client, channel, f"modified_date__gte={quoted}") == [b.pk, c.pk]
    assert filtered(member_client, channel, f"modified_date__lt={quoted}") == [a.pk]
    assert filtered(member_client, channel, f"created_date__gt={quoted}") == [b.pk, c.pk]
    assert filtered(member_client, channel, f"created_date__lte={quoted}") == [a.pk]


def test_filter_combination_status_and_modified_date(member_client, channel, items):
    a, b, c, _ = items
    since = (timezone.now() - timedelta(hours=1)).isoformat().replace("+", "%2B")
    assert filtered(member_client, channel, f"status=400&modified_date__gte={since}") == [a.pk, b.pk]


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=shipped_maybe", "status"),
        ("modified_date__gte=yesterday", "modified_date__gte"),
        ("pk__in=1,abc", "pk__in"),
        ("order_id=-3", "order_id"),
        ("transaction_id=99999999999999999999", "transaction_id"),
        ("mapping__integration_type=nope", "mapping__integration_type"),
        ("cancel_status=maybe", "cancel_status"),
        ("sort=price", "sort"),
        ("limit=0", "limit"),
    ],
)
def test_invalid_filter_values_are_400_naming_the_parameter(member_client, channel, items, query, field):
    response = member_client.get(BASE.format(channel.pk) + "?" + query)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_sort(member_client, channel, items):
    a, b, c, _ = items
    assert filtered(member_client, channel, "sort=-id") == [c.pk, b.pk, a.pk]
    assert filtered(member_client, channel, "sort=-status") == [c.pk, b.pk, a.pk]
    assert filtered(member_client, channel, "sort=status") == [a.pk, b.pk, c.pk]


# --- pagination --------------------------------------------------------------------------------


@pytest.fixture
def many_items(channel):
    order = OrderFactory(channel=channel)
    product = ProductFactory()
    return [OrderItemFactory(order=order, product=product) for _ in range(23)]


def test_default_page_is_ten(member_client, channel, many_items):
    body = member_client.get(BASE.format(channel.pk)).json()
    assert body["count"] == 23
    assert [row["pk"] for row in body["results"]] == [item.pk for item in many_items[:10]]
    assert body["next"] == f"http://testserver{BASE.format(channel.pk)}?page=2"
    assert body["previous"] is None


def test_limit_and_last_page(member_client, channel, many_items):
    body = member_client.get(BASE.format(channel.pk) + "?limit=5&page=5").json()
    assert body["count"] == 23
    assert [row["pk"] for row in body["results"]] == [item.pk for item in many_items[20:]]
    assert body["next"] is None
    assert body["previous"] == f"http://testserver{BASE.format(channel.pk)}?limit=5&page=4"


def test_out_of_range_page_is_404(member_client, channel, many_items):
    response = member_client.get(BASE.format(channel.pk) + "?limit=5&page=6")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page.", "code": "not_found"}


# --- constant queries ---------------------------------------------------------------------------


@pytest.fixture
def big_page(channel):
    """120 items over 12 orders and 30 products with images and mappings."""
    products = [ProductFactory() for _ in range(30)]
    for product in products:
        ProductImageFactory(product=product)
    orders = [OrderFactory(channel=channel) for _ in range(12)]
    items = [OrderItemFactory(order=orders[i % 12], product=products[i % 30]) for i in range(120)]
    content_type = ContentType.objects.get_for_model(OrderItem)
    for item in items[::7]:
        IntegrationMapping.objects.create(
            content_type=content_type, object_id=item.pk, integration_type="external_company", code=f"E{item.pk}"
        )
    return items


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# token lookup, membership, page, count, then the page's order numbers (flat) or orders, products,
# images, price lists, stock lists (detailed; + item mappings, product mappings for detailed_integration).
@pytest.mark.parametrize("variant, expected", [("", 5), ("detailed/", 9), ("detailed_integration/", 11)])
def test_query_count_does_not_grow_with_page_size(member_client, channel, big_page, variant, expected):
    url = BASE.format(channel.pk) + variant
    count_queries(member_client, url + "?limit=1")  # warm the content-type cache
    assert count_queries(member_client, url + "?limit=1") == expected
    assert count_queries(member_client, url + "?limit=100") == expected


# --- response shapes ----------------------------------------------------------------------------


def test_flat_item_has_every_key_of_the_seed_examples(member_client, channel, items):
    body = member_client.get(BASE.format(channel.pk)).json()["results"][0]
    assert set(SEED["patch_response"]) <= set(body)
    assert set(SEED["list_result"]) <= set(body)
    assert set(body) == set(OrderItemSerializer().fields)


@pytest.mark.parametrize(
    "variant, serializer",
    [("detailed/", OrderItemDetailedSerializer), ("detailed_integration/", OrderItemDetailedIntegrationSerializer)],
)
def test_detailed_items_match_their_schema(member_client, channel, items, variant, serializer):
    ProductImageFactory(product=items[0].product)
    body = member_client.get(BASE.format(channel.pk) + variant).json()["results"][0]
    assert set(SEED["list_result"]) <= set(body)
    assert set(body) == set(serializer().fields)
    fields = serializer().fields
    assert set(body["order"]) == set(fields["order"].fields)
    assert set(body["product"]) == set(fields["product"].fields)
    assert set(body["price_list"]) == set(fields["price_list"].fields)
    assert set(body["stock_list"]) == set(fields["stock_list"].fields)
    assert set(body["product"]["images"][0]) == {"pk", "url", "order"}


def test_detailed_values(member_client, channel, items):
    a = items[0]
    image = ProductImageFactory(product=a.product)
    body = member_client.get(BASE.format(channel.pk) + "detailed/?limit=1").json()["results"][0]
    assert body["order"] == {
        "pk": a.order_id,
        "number": "A-1",
        "status": "400",
        "date_placed": a.order.date_placed.isoformat().replace("+00:00", "Z"),
        "currency": "try",
        "amount": "100.00",
        "customer": a.order.customer_id,
    }
    assert body["product"]["sku"] == a.product.sku
    assert body["product"]["images"] == [{"pk": image.pk, "url": image.url, "order": 1}]
    assert body["price_list"]["pk"] == channel.catalog.price_list_id and body["price_list"]["currency"] == "try"
    assert body["stock_list"]["pk"] == channel.catalog.stock_list_id


def test_detailed_integration_lists_item_and_product_mappings(member_client, channel, items):
    a = items[0]
    IntegrationMapping.objects.create(
        content_type=ContentType.objects.get_for_model(OrderItem),
        object_id=a.pk,
        integration_type="external_company",
        code="ERP-9",
    )
    IntegrationMapping.objects.create(
        content_type=ContentType.objects.get_for_model(a.product),
        object_id=a.product_id,
        integration_type="trendyol",
        code="TY-1",
    )
    body = member_client.get(BASE.format(channel.pk) + "detailed_integration/?limit=1").json()["results"][0]
    assert body["integration_mappings"] == [{"integration_type": "external_company", "code": "ERP-9"}]
    assert body["product"]["integration_mappings"] == [{"integration_type": "trendyol", "code": "TY-1"}]


def test_fast_builder_and_serializer_agree_on_values(channel, items):
    from omnitron.renderers import dumps
    from orders.serializers.items import order_item_flat_from_instance

    item = OrderItem.objects.get(pk=items[0].pk)
    assert json.loads(dumps(order_item_flat_from_instance(item))) == json.loads(dumps(OrderItemSerializer(item).data))
