"""Shared pieces of the create_orders tests: a channel's world of real rows and request bodies."""

import copy
import json
from dataclasses import dataclass
from pathlib import Path

from catalog.models import Product, ProductStock, StockReservation
from channels.models import Address, CargoCompany, Channel, Customer, PaymentOption
from orders.models import IdempotencyKey, Order, OrderEvent, OrderItem
from orders.statuses import FINAL_STATUSES
from tests.factories import (
    AddressFactory,
    CargoCompanyFactory,
    CustomerFactory,
    OrderFactory,
    OrderItemFactory,
    PaymentOptionFactory,
    ProductFactory,
    ProductPriceFactory,
    ProductStockFactory,
)

DATA = Path(__file__).parent / "data"
SEED_REQUEST = json.loads((DATA / "seed_003_create_orders_request.json").read_text())
SEED_RESPONSE = json.loads((DATA / "seed_003_create_orders_response.json").read_text())


def url(channel_id: int) -> str:
    return f"/api/v1/channel/{channel_id}/create_orders/"


def refused(client, world: "World", body, status: int):
    """Post ``body`` to the world's channel: answered ``status``, nothing written; the answer's body."""
    before = snapshot()
    response = client.post(url(world.channel.pk), body, format="json")
    assert response.status_code == status
    assert snapshot() == before
    return response.json()


@dataclass
class World:
    """Real rows of one channel that a create_orders body can point at."""

    channel: Channel
    customer: Customer
    address: Address
    billing_address: Address
    cargo_company: CargoCompany
    payment_option: PaymentOption
    product: Product
    stock: ProductStock
    parent_item: OrderItem

    def products(self, count: int, stock: int = 10) -> list[Product]:
        """``count`` more products priced and stocked (``stock`` units) in the channel's lists."""
        products = []
        for _ in range(count):
            product = ProductFactory()
            ProductPriceFactory(price_list=self.channel.catalog.price_list, product=product)
            ProductStockFactory(stock_list=self.channel.catalog.stock_list, product=product, stock=stock)
            products.append(product)
        return products


def world_for(channel: Channel, *, stock: int = 10) -> World:
    customer = CustomerFactory(channel=channel)
    address = AddressFactory(customer=customer)
    billing = AddressFactory(customer=customer, title="Office")
    product = ProductFactory()
    ProductPriceFactory(price_list=channel.catalog.price_list, product=product)
    stock_row = ProductStockFactory(stock_list=channel.catalog.stock_list, product=product, stock=stock)
    parent_item = OrderItemFactory(order__channel=channel, order__customer=customer, order__shipping_address=address)
    return World(
        channel=channel,
        customer=customer,
        address=address,
        billing_address=billing,
        cargo_company=CargoCompanyFactory(shipping_company="yurtici"),
        payment_option=PaymentOptionFactory(slug="credit_card"),
        product=product,
        stock=stock_row,
        parent_item=parent_item,
    )


def approved_order(world: World, *, items: int = 2) -> Order:
    """An approved order of ``world``'s customer with ``items`` approved units of its product."""
    order = OrderFactory(channel=world.channel, customer=world.customer, shipping_address=world.address)
    for _ in range(items):
        OrderItemFactory(order=order, product=world.product, status="400")
    return order


def seed_body(world: World, **order_overrides) -> dict:
    """Seed 003's request body, as written, with its ids pointing at ``world``'s rows."""
    body = copy.deepcopy(SEED_REQUEST)
    order = body["order"]
    order.update(
        channel=world.channel.pk,
        customer=world.customer.pk,
        shipping_address=world.address.pk,
        billing_address=world.billing_address.pk,
        payment_option=world.payment_option.pk,
        cargo_company=world.cargo_company.pk,
    )
    item = body["order_item"][0]
    item.update(
        product=world.product.pk,
        price_list=world.channel.catalog.price_list_id,
        stock_list=world.channel.catalog.stock_list_id,
        parent=world.parent_item.pk,
    )
    order.update(order_overrides)
    return body


def minimal_body(world: World, *, number: str = "MIN-1", items: list[dict] | None = None, **order_fields) -> dict:
    """The fewest fields create_orders needs."""
    order = {
        "number": number,
        "customer": world.customer.pk,
        "shipping_address": world.address.pk,
        "billing_address": world.address.pk,
        "currency": "try",
        "amount": "100.00",
        **order_fields,
    }
    return {"order": order, "order_item": items or [{"product": world.product.pk, "price": "100.00"}]}


def snapshot() -> dict[str, int]:
    """Row counts of everything create_orders writes, to prove that a refusal wrote nothing."""
    return {
        "orders": Order.objects.count(),
        "items": OrderItem.objects.count(),
        "reservations": StockReservation.objects.count(),
        "events": OrderEvent.objects.count(),
        "idempotency_keys": IdempotencyKey.objects.count(),
    }


def available(stock: ProductStock) -> int:
    active = StockReservation.objects.filter(stock=stock, released_at__isnull=True).count()
    return ProductStock.objects.get(pk=stock.pk).stock - active


def final_items_holding_stock() -> list[tuple[int, str, int]]:
    """(item, status, reservation) of every item in a final status whose reservation is active."""
    return list(
        OrderItem.objects.filter(status__in=FINAL_STATUSES, reservation__released_at__isnull=True)
        .exclude(reservation=None)
        .order_by("pk")
        .values_list("pk", "status", "reservation_id")
    )
