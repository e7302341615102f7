"""The create service called directly: plan, reserve, write and the idempotency record, in one transaction."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.exceptions import InsufficientStockError
from catalog.models import StockReservation
from integrations.models import Change
from omnitron.errors import NotFoundError, ServiceValidationError
from orders.exceptions import IdempotencyKeyReusedError, OrderNumberExistsError, ProductInactiveError
from orders.models import EventType, IdempotencyKey, IdempotencyState, Order, OrderEvent, OrderItem
from orders.queries import AddressRow, CargoCompanyRow, ChannelRow, ProductRow, ReferenceIds, references_fetch
from orders.schema import example_load
from orders.serializers.create import order_created_json
from orders.services.create import IdempotencyRequest, OrderCreated, order_create
from orders.services.create.plan import order_plan
from orders.services.idempotency import IdempotencyReplay
from tests.factories import AddressFactory, CustomerFactory, ProductFactory
from tests.orders.create_orders_support import DATA, available, snapshot, world_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(channel):
    return world_for(channel, stock=3)


def order_data(world, number: str = "SVC-1", **fields) -> dict:
    """An ``order`` as ``CreateOrderInputSerializer`` hands it to the service."""
    return {
        "number": number,
        "customer": world.customer.pk,
        "shipping_address": world.address.pk,
        "billing_address": world.billing_address.pk,
        "currency": "try",
        "amount": Decimal("200.00"),
        **fields,
    }


def items_data(world, quantity: int = 2, **fields) -> list[dict]:
    return [{"product": world.product.pk, "price": Decimal("100.00"), "quantity": quantity, **fields}]


def create(world, member, **kwargs):
    kwargs.setdefault("order_data", order_data(world))
    kwargs.setdefault("items_data", items_data(world))
    return order_create(channel_id=world.channel.pk, actor=member, **kwargs)


# --- plan ---------------------------------------------------------------------------------------


def test_plan_resolves_defaults_in_one_statement_and_writes_nothing(world):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        plan = order_plan(channel_id=world.channel.pk, order_data=order_data(world), items_data=items_data(world))
    assert len(queries) == 1
    assert snapshot() == before
    catalog = world.channel.catalog
    assert (plan.channel.pk, plan.channel.price_list_id, plan.channel.stock_list_id) == (
        world.channel.pk,
        catalog.price_list_id,
        catalog.stock_list_id,
    )
    assert plan.number == "SVC-1"
    assert (plan.order_fields["status"], plan.order_fields["shipping_amount"]) == ("200", Decimal("0"))
    (item,) = plan.items
    assert (item.quantity, item.stock_key, item.reserves) == (2, (catalog.stock_list_id, world.product.pk), True)
    assert (item.fields["price_list_id"], item.fields["status"]) == (catalog.price_list_id, "200")
    assert plan.skus == {world.product.pk: world.product.sku}
    assert plan.stock_ids == {(catalog.stock_list_id, world.product.pk): world.stock.pk}
    assert [(r.stock_list_id, r.product_id, r.quantity) for r in plan.stock_requests()] == [
        (catalog.stock_list_id, world.product.pk, 2)
    ]


def test_plan_of_a_delivered_item_requests_no_stock(world):
    plan = order_plan(
        channel_id=world.channel.pk, order_data=order_data(world), items_data=items_data(world, status="550")
    )
    assert [item.reserves for item in plan.items] == [False]
    assert plan.stock_requests() == []


def test_plan_refuses_every_bad_reference_at_once_indexed_like_the_request(world, other_channel):
    foreign = AddressFactory(customer=CustomerFactory(channel=other_channel))
    items = [*items_data(world), {"product": 987654, "price": Decimal("1"), "unit_price": Decimal("2")}]
    with pytest.raises(ServiceValidationError) as caught:
        order_plan(
            channel_id=world.channel.pk,
            order_data=order_data(world, billing_address=foreign.pk, channel=other_channel.pk),
            items_data=items,
        )
    assert caught.value.errors == {
        "order": {
            "channel": [f"Must be the channel of the URL ({world.channel.pk}); got {other_channel.pk}."],
            "billing_address": [f'Invalid pk "{foreign.pk}" - object does not exist.'],
        },
        "order_item": [
            {},
            {
                "product": ['Invalid pk "987654" - object does not exist.'],
                "unit_price": ["Must equal price (the unit price, 1.00); got 2.00."],
            },
        ],
    }


def test_plan_refuses_an_inactive_product_and_an_unknown_channel(world):
    inactive = ProductFactory(is_active=False)
    with pytest.raises(ProductInactiveError) as caught:
        order_plan(
            channel_id=world.channel.pk,
            order_data=order_data(world),
            items_data=[{"product": inactive.pk, "price": Decimal("1")}],
        )
    assert caught.value.as_dict()["items"] == [{"product": inactive.pk, "sku": inactive.sku}]
    with pytest.raises(NotFoundError):
        order_plan(channel_id=987654, order_data=order_data(world), items_data=items_data(world))


def test_references_come_back_as_one_dataclass_per_kind(world, other_channel):
    foreign_customer = CustomerFactory(channel=other_channel)
    refs = references_fetch(
        channel_id=world.channel.pk,
        wanted=ReferenceIds(
            customers={world.customer.pk, foreign_customer.pk},
            addresses={world.address.pk},
            cargo_companies={world.cargo_company.pk},
            payment_options={world.payment_option.pk},
            products={world.product.pk},
            price_lists=set(),
            stock_lists=set(),
            parents={world.parent_item.pk},
        ),
    )
    catalog = world.channel.catalog
    assert refs.channel == ChannelRow(world.channel.pk, json.dumps(world.channel.conf), *catalog_lists(catalog))
    assert refs.customers == {world.customer.pk}
    assert refs.addresses == {world.address.pk: AddressRow(world.address.pk, world.customer.pk)}
    assert refs.cargo_companies == {world.cargo_company.pk: CargoCompanyRow(world.cargo_company.pk, "yurtici")}
    assert refs.payment_options == {world.payment_option.pk}
    assert refs.products == {world.product.pk: ProductRow(world.product.pk, world.product.sku, True)}
    assert (refs.price_lists, refs.stock_lists, refs.parents) == (set(), set(), {world.parent_item.pk})
    assert refs.stock_ids == {(catalog.stock_list_id, world.product.pk): world.stock.pk}


def catalog_lists(catalog) -> tuple[int, int]:
    return catalog.price_list_id, catalog.stock_list_id


# --- reserve and write ----------------------------------------------------------------------------


def test_create_writes_the_order_its_units_their_reservations_and_the_created_event(world, member):
    result = create(world, member)

    assert isinstance(result, OrderCreated)
    order = Order.objects.get(number="SVC-1")
    assert result.order.pk == order.pk
    assert (result.oversold, result.dry_run, result.stored_body) == ([], False, None)
    items = list(OrderItem.objects.filter(order=order).order_by("pk"))
    assert [item.pk for item in result.items] == [item.pk for item in items]
    reservations = StockReservation.objects.filter(pk__in=[item.reservation_id for item in items])
    assert sorted(reservations.values_list("stock_id", "quantity")) == [(world.stock.pk, 1), (world.stock.pk, 1)]
    assert available(world.stock) == 1
    event = OrderEvent.objects.get(order=order)
    assert (event.event_type, event.actor_id, event.new_value) == (
        EventType.CREATED,
        member.pk,
        {"number": "SVC-1", "status": "200", "items": 2},
    )


def test_create_records_the_outbox_rows_of_its_units_then_the_order_as_created(world, member):
    result = create(world, member)

    order = Order.objects.get(pk=result.order.pk)
    items = list(OrderItem.objects.filter(order=order).order_by("pk"))
    rows = list(
        Change.objects.order_by("id").values_list(
            "content_type__model", "object_id", "kind", "channel_id", "version_date"
        )
    )
    assert rows == [
        ("orderitem", items[0].pk, "created", world.channel.pk, items[0].modified_date),
        ("orderitem", items[1].pk, "created", world.channel.pk, items[1].modified_date),
        ("order", order.pk, "created", world.channel.pk, order.modified_date),
    ]
    assert (result.order.modified_date, [item.modified_date for item in result.items]) == (
        order.modified_date,
        [item.modified_date for item in items],
    )
    txids = set(Change.objects.values_list("txid", flat=True))
    if connection.vendor == "postgresql":
        assert len(txids) == 1 and txids != {0}
    else:
        assert txids == {0}


def statement(sql: str) -> tuple[str, str]:
    """(verb, the table after UPDATE, INTO or FROM) of a captured statement."""
    verb = sql.split(" ", 1)[0]
    if verb == "UPDATE":
        rest = sql.split(" ", 1)[1]
    else:
        rest = sql.split(" INTO ", 1)[-1] if verb == "INSERT" else sql.split(" FROM ", 1)[-1]
    return verb, rest.split('"')[1] if '"' in rest else rest.split(" ", 1)[0]


def test_create_runs_plan_reserve_write_then_the_stock_lock(world, member):
    ContentType.objects.get_for_models(Order, OrderItem)  # cached per process after the first request
    with CaptureQueriesContext(connection) as queries:
        create(world, member)
    statements = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert [statement(sql) for sql in statements] == [
        ("SELECT", "channels_channel"),  # plan: every reference in one statement
        ("INSERT", "orders_order"),
        ("INSERT", "catalog_stockreservation"),  # reserve, unchecked
        ("INSERT", "orders_orderitem"),  # write
        ("INSERT", "orders_orderevent"),
        # the change outbox, in the same transaction: the new items and the order, in one statement
        # (nothing to read or move for rows that did not exist before)
        ("INSERT", "integrations_change"),
        ("SELECT", "catalog_productstock"),  # the stock row locked last, then the check
        ("SELECT", "catalog_stockreservation"),
    ]
    if connection.vendor == "postgresql":
        assert statements[6].endswith(f'WHERE "id" IN ({world.stock.pk}) ORDER BY "id" FOR NO KEY UPDATE')


def test_refused_stock_leaves_nothing_written(world, member):
    before = snapshot()
    with pytest.raises(InsufficientStockError) as caught:
        create(world, member, items_data=items_data(world, quantity=4))
    assert caught.value.shortages == [
        {"sku": world.product.sku, "stock_list": world.stock.stock_list_id, "requested": 4, "available": 3}
    ]
    assert snapshot() == before
    assert available(world.stock) == 3


def test_duplicate_number_leaves_nothing_written(world, member):
    first = create(world, member)
    before = snapshot()
    with pytest.raises(OrderNumberExistsError) as caught:
        create(world, member)
    assert caught.value.pk == first.order.pk
    assert snapshot() == before
    assert available(world.stock) == 1


def test_allowed_oversell_writes_the_order_and_an_oversold_event_on_the_first_unit(world, member):
    world.channel.conf = {"allow_oversell": True}
    world.channel.save()
    result = create(world, member, items_data=items_data(world, quantity=5))
    assert result.oversold == [
        {"sku": world.product.sku, "stock_list": world.stock.stock_list_id, "requested": 5, "available": 3}
    ]
    oversold = OrderEvent.objects.get(order=result.order, event_type=EventType.OVERSOLD)
    assert (oversold.item_id, oversold.note) == (
        result.items[0].pk,
        f"5 unit(s) of {world.product.sku} ordered with 3 available.",
    )
    assert available(world.stock) == -2


def test_dry_run_checks_stock_and_writes_nothing(world, member):
    before = snapshot()
    result = create(world, member, dry_run=True, idempotency=IdempotencyRequest("ignored", "hash"))
    assert (result.dry_run, result.order.pk, [item.pk for item in result.items]) == (True, None, [None, None])
    assert snapshot() == before
    with pytest.raises(InsufficientStockError):
        create(world, member, dry_run=True, items_data=items_data(world, quantity=4))
    assert snapshot() == before


# --- the idempotency record ----------------------------------------------------------------------


def test_a_keyed_create_stores_its_201_body_with_the_order_and_a_replay_returns_it(world, member):
    result = create(world, member, idempotency=IdempotencyRequest("svc-key", "hash-1"))

    key = IdempotencyKey.objects.get(key="svc-key")
    assert (key.state, key.response_status, key.user_id) == (IdempotencyState.COMPLETED, 201, member.pk)
    assert key.response_body == result.stored_body == order_created_json(result)
    assert key.response_body["pk"] == result.order.pk

    before = snapshot()
    replay = create(world, member, idempotency=IdempotencyRequest("svc-key", "hash-1"))
    assert replay == IdempotencyReplay(status=201, body=key.response_body)
    assert snapshot() == before

    with pytest.raises(IdempotencyKeyReusedError):
        create(world, member, idempotency=IdempotencyRequest("svc-key", "hash-2"))
    assert snapshot() == before


def test_a_refused_keyed_create_drops_its_claim_and_writes_nothing(world, member):
    before = snapshot()
    with pytest.raises(InsufficientStockError):
        create(world, member, items_data=items_data(world, quantity=4), idempotency=IdempotencyRequest("k", "h"))
    assert snapshot() == before

    # And the retry with the same key runs again
    result = create(world, member, idempotency=IdempotencyRequest("k", "h"))
    assert IdempotencyKey.objects.get(key="k").response_body["pk"] == result.order.pk


# --- the OpenAPI examples ------------------------------------------------------------------------


def test_the_shipped_request_example_is_the_seed_request():
    seed = json.loads((DATA / "seed_003_create_orders_request.json").read_text())
    assert example_load("seed_003_create_orders_request") == seed
    shipped = Path(__file__).resolve().parents[2] / "orders" / "examples" / "seed_003_create_orders_request.json"
    assert shipped.read_bytes() == (DATA / "seed_003_create_orders_request.json").read_bytes()
