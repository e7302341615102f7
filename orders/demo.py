"""A coherent demo world (``manage.py seed_demo``) and fast bulk orders for benchmarks.

Everything is keyed by natural keys (codes, SKUs, order numbers), so running it again updates
in place and creates nothing twice. On an empty database (``seed_demo --reset``) the ids are always
the same: channel 1 is the web shop, 2 the marketplace, orders ``DEMO-1-0001``… are 1–7.
"""

import hashlib
import hmac
import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from catalog.models import (
    Catalog,
    PriceList,
    Product,
    ProductImage,
    ProductPrice,
    ProductStock,
    ReleaseReason,
    StockList,
    StockReservation,
)
from catalog.writes import catalog_row_upsert
from channels.models import (
    Address,
    CargoCompany,
    Channel,
    ChannelType,
    City,
    Country,
    Customer,
    District,
    IntegrationMapping,
    IntegrationType,
    PaymentOption,
    PaymentType,
    RetailStore,
    ShippingCompany,
    Township,
)
from channels.services import address_create, channel_membership_add, customer_create, integration_group_ensure
from omnitron.models import APIToken
from omnitron.tokens import token_digest
from orders.models import CancellationReason, CancellationType, EventType, Order, OrderEvent, OrderItem
from orders.statuses import OrderStatus

DEMO_USERNAME = "integration"
DEMO_PASSWORD = "integration-demo-password"  # noqa: S105  # local demo account, printed to the user
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-demo-password"  # noqa: S105  # local demo account, printed to the user

GEOGRAPHY = {
    "İstanbul": {"Kadıköy": ["Moda", "Caferağa"], "Beşiktaş": ["Levent", "Etiler"]},
    "Ankara": {"Çankaya": ["Kızılay", "Bahçelievler"]},
    "İzmir": {"Konak": ["Alsancak"]},
    "Afyon": {"DİNAR": ["İNCESU"]},
}
PRODUCTS = [
    ("Cotton T-shirt", "TSHIRT", "SİYAH", "L", "149.90"),
    ("Cotton T-shirt", "TSHIRT", "BEYAZ", "M", "149.90"),
    ("Denim jeans", "JEANS", "MAVİ", "32", "599.99"),
    ("Denim jeans", "JEANS", "SİYAH", "34", "599.99"),
    ("Wool sweater", "SWEATER", "GRİ", "L", "899.00"),
    ("Rain jacket", "JACKET", "YEŞİL", "XL", "1299.50"),
    ("Sneakers", "SNEAKER", "BEYAZ", "42", "1499.00"),
    ("Leather belt", "BELT", "KAHVE", "One size", "249.00"),
    ("Baseball cap", "CAP", "LACİVERT", "One size", "99.90"),
    ("Canvas tote bag", "TOTE", "KREM", "One size", "179.00"),
    ("Running socks (3 pairs)", "SOCKS", "SİYAH", "40-44", "89.90"),
    ("Linen shirt", "SHIRT", "BEJ", "M", "749.00"),
]
DEMO_ORDER_STATUSES = ["200", "400", "400", "450", "500", "550", "100"]


def demo_token_key() -> str:
    """The demo user's API key, derived from SECRET_KEY so every run prints the same one."""
    return hmac.new(settings.SECRET_KEY.encode(), b"seed-demo-integration-token", hashlib.sha256).hexdigest()[:40]


@dataclass
class DemoWorld:
    channel: Channel
    other_channel: Channel
    price_list: PriceList
    stock_list: StockList
    products: list[Product]
    customer: Customer
    address: Address
    token_key: str
    info: dict = field(default_factory=dict)


def _geography() -> tuple[Country, dict[str, City], dict[str, Township], dict[str, District]]:
    country, _ = Country.objects.update_or_create(code="tr", defaults={"name": "Turkey"})
    cities, townships, districts = {}, {}, {}
    for city_name, town_map in GEOGRAPHY.items():
        city, _ = City.objects.get_or_create(country=country, name=city_name)
        cities[city_name] = city
        for town_name, district_names in town_map.items():
            town, _ = Township.objects.get_or_create(city=city, name=town_name)
            townships[town_name] = town
            for district_name in district_names:
                district, _ = District.objects.get_or_create(
                    city=city, township=town, name=district_name, defaults={"postcode": "34000"}
                )
                districts[district_name] = district
    return country, cities, townships, districts


def _geography_mappings(channel: Channel, cities: dict[str, City]) -> None:
    """The channel's own spelling of a city, as channel-app looks it up: ``<channel>_<name>`` (sales_channel)."""
    IntegrationMapping.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(City),
        object_id=cities["İstanbul"].pk,
        integration_type=IntegrationType.SALES_CHANNEL,
        defaults={"code": f"{channel.pk}_Istanbul"},
    )


def _catalog() -> tuple[PriceList, StockList, list[Product]]:
    price_list, _ = PriceList.objects.update_or_create(
        code="demo-try", defaults={"name": "Demo price list (TRY)", "currency": "try"}
    )
    stock_list, _ = StockList.objects.update_or_create(code="demo-main", defaults={"name": "Demo main warehouse"})
    products = []
    for index, (name, base_code, colour, size, price) in enumerate(PRODUCTS, start=1):
        sku = f"DEMO-{index:04d}"
        product = catalog_row_upsert(
            model=Product,
            lookup={"sku": sku},
            values={
                "name": f"{name} {colour} {size}",
                "base_code": base_code,
                "barcode": f"86900000{index:05d}",
                "attributes": {"renk": colour, "beden": size, "integration_color": colour, "integration_size": size},
                "attributes_kwargs": {
                    "renk": {"label": colour, "value": colour, "data_type": "dropdown"},
                    "beden": {"label": size, "value": size, "data_type": "dropdown"},
                },
            },
        )
        catalog_row_upsert(
            model=ProductImage,
            lookup={"product": product, "order": 1},
            values={"url": f"https://cdn.example.com/products/{sku.lower()}/1.jpg"},
            update=False,
        )
        catalog_row_upsert(
            model=ProductPrice,
            lookup={"price_list": price_list, "product": product},
            values={
                "price": Decimal(price),
                "retail_price": (Decimal(price) * Decimal("1.25")).quantize(Decimal("0.01")),
                "tax_rate": Decimal("20"),
            },
        )
        catalog_row_upsert(
            model=ProductStock,
            lookup={"stock_list": stock_list, "product": product},
            values={"stock": 50 + index * 5},
            update=False,
        )
        products.append(product)
    return price_list, stock_list, products


def _channels(price_list: PriceList, stock_list: StockList) -> tuple[Channel, Channel]:
    catalog, _ = Catalog.objects.update_or_create(
        name="Demo catalog", defaults={"price_list": price_list, "stock_list": stock_list}
    )
    web, _ = Channel.objects.update_or_create(
        name="Demo web shop",
        defaults={
            "channel_type": ChannelType.WEB,
            "catalog": catalog,
            "conf": {
                "server": "http://localhost:8080/api/v1/",
                "allow_oversell": False,
                "api_key": "demo-secret-not-shown",
            },
        },
    )
    marketplace, _ = Channel.objects.update_or_create(
        name="Demo marketplace",
        defaults={
            "channel_type": ChannelType.MARKETPLACE,
            "catalog": catalog,
            "conf": {"server": "https://marketplace.example.com/", "allow_oversell": True},
        },
    )
    return web, marketplace


def _reference_data() -> tuple[list[CargoCompany], list[PaymentOption]]:
    cargos = [
        CargoCompany.objects.update_or_create(erp_code=code, defaults={"name": name, "shipping_company": company})[0]
        for code, name, company in [
            ("YK", "Yurtiçi Kargo", ShippingCompany.YURTICI),
            ("ARAS", "Aras Kargo", ShippingCompany.ARAS),
            ("UPS", "UPS", ShippingCompany.UPS),
        ]
    ]
    RetailStore.objects.update_or_create(
        erp_code="KADIKOY-1", defaults={"name": "Kadıköy store", "address": "Bahariye Cd. No: 1, Kadıköy"}
    )
    payments = [
        PaymentOption.objects.update_or_create(slug=slug, defaults={"name": name, "payment_type": kind})[0]
        for slug, name, kind in [
            ("kredi_karti", "Kredi kartı", PaymentType.CREDIT_CARD),
            ("havale", "Havale / EFT", PaymentType.FUNDS_TRANSFER),
            ("kapida_odeme", "Kapıda ödeme", PaymentType.PAY_ON_DELIVERY),
        ]
    ]
    for index, (name, kind) in enumerate(
        [
            ("Customer changed their mind", CancellationType.CANCEL),
            ("Out of stock", CancellationType.CANCEL),
            ("Wrong size", CancellationType.REFUND),
            ("Damaged on arrival", CancellationType.REFUND),
        ]
    ):
        CancellationReason.objects.update_or_create(
            name=name, defaults={"cancellation_type": kind, "sort_order": index}
        )
    return cargos, payments


def _customers(channel: Channel, geo) -> list[tuple[Customer, Address]]:
    country, cities, townships, districts = geo
    people = [("Ayşe", "Yılmaz"), ("Mehmet", "Kaya"), ("Zeynep", "Demir")]
    result = []
    for index, (first, last) in enumerate(people, start=1):
        code = f"demo-{channel.pk}-{index}"
        email = f"{first.lower().replace('ş', 's')}.{last.lower().replace('ı', 'i')}@example.com"
        customer = Customer.objects.filter(channel=channel, channel_code=code).first()
        if customer is None:
            customer = customer_create(
                channel=channel,
                channel_code=code,
                email=email,
                first_name=first,
                last_name=last,
                phone_number=f"0555000{index:04d}",
                email_allowed=True,
                date_joined=timezone.now(),
            )
        city_name = list(GEOGRAPHY)[index % len(GEOGRAPHY)]
        town_name = next(iter(GEOGRAPHY[city_name]))
        district_name = GEOGRAPHY[city_name][town_name][0]
        address = customer.addresses.order_by("id").first()
        if address is None:
            address = address_create(
                customer=customer,
                title="Home",
                email=email,
                phone_number=customer.phone_number,
                first_name=first,
                last_name=last,
                country=country,
                city=cities[city_name],
                township=townships[town_name],
                district=districts[district_name],
                line=f"{index} Demo Sokak, No: {index * 7}",
                postcode="34000",
            )
        result.append((customer, address))
    return result


def _demo_orders(
    channel: Channel,
    people,
    products: list[Product],
    cargo: CargoCompany,
    payment: PaymentOption,
    price_list: PriceList,
    stock_list: StockList,
) -> None:
    prices = dict(ProductPrice.objects.filter(price_list=price_list).values_list("product_id", "price"))
    stocks = {stock.product_id: stock for stock in ProductStock.objects.filter(stock_list=stock_list)}
    now = timezone.now()
    for index, status in enumerate(DEMO_ORDER_STATUSES, start=1):
        number = f"DEMO-{channel.pk}-{index:04d}"
        if Order.objects.filter(channel=channel, number=number).exists():
            continue
        customer, address = people[index % len(people)]
        chosen = [products[(index + offset) % len(products)] for offset in range(1 + index % 3)]
        amount = sum((prices[p.pk] for p in chosen), Decimal("0"))
        with transaction.atomic():
            order = Order.objects.create(
                channel=channel,
                number=number,
                status=status,
                date_placed=now - timedelta(days=len(DEMO_ORDER_STATUSES) - index),
                customer=customer,
                shipping_address=address,
                billing_address=address,
                currency=price_list.currency,
                amount=amount,
                shipping_amount=Decimal("29.90"),
                payment_option=payment,
                payment_option_slug=payment.slug,
                installment_count=1,
                cargo_company=cargo,
                shipping_company=cargo.shipping_company,
                is_send=int(status) >= 450,
                remote_addr="127.0.0.1",
                extra_field={"demo": True},
            )
            items = []
            for product in chosen:
                acknowledged = int(status) >= 450 or status == OrderStatus.CANCELED
                reservation = StockReservation.objects.create(
                    stock=stocks[product.pk],
                    released_at=now if acknowledged else None,
                    release_reason=(
                        ReleaseReason.CANCELED if status == OrderStatus.CANCELED else ReleaseReason.ACKNOWLEDGED
                    )
                    if acknowledged
                    else None,
                )
                items.append(
                    OrderItem(
                        order=order,
                        channel=channel,
                        product=product,
                        status=status,
                        price_currency=price_list.currency,
                        price=prices[product.pk],
                        retail_price=prices[product.pk] * Decimal("1.25"),
                        tax_rate=Decimal("20"),
                        price_list=price_list,
                        stock_list=stock_list,
                        reservation=reservation,
                        attributes=product.attributes,
                        attributes_kwargs=product.attributes_kwargs,
                        shipping_company=cargo.shipping_company if int(status) >= 500 else None,
                        tracking_number=f"TRK{order.pk:08d}" if int(status) >= 500 and status != "100" else None,
                        cancel_status="completed" if status == OrderStatus.CANCELED else None,
                    )
                )
            OrderItem.objects.bulk_create(items)
            OrderEvent.objects.create(order=order, event_type=EventType.CREATED, new_value=status, note="demo data")


def _users(channel: Channel) -> tuple[str, str]:
    User = get_user_model()
    admin_user, created = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.com"}
    )
    if created:
        admin_user.set_password(ADMIN_PASSWORD)
        admin_user.save()
    group = integration_group_ensure()
    user, created = User.objects.get_or_create(username=DEMO_USERNAME, defaults={"email": "integration@example.com"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(group)
    channel_membership_add(channel=channel, user=user)
    key = demo_token_key()
    APIToken.objects.get_or_create(
        digest=token_digest(key), defaults={"user": user, "name": "demo integration", "key_prefix": key[:8]}
    )
    return DEMO_USERNAME, key


@transaction.atomic
def seed_demo_world(*, base_url: str = "http://127.0.0.1:8000") -> DemoWorld:
    """Create or refresh the demo world; return what a new user needs to call the API."""
    geo = _geography()
    price_list, stock_list, products = _catalog()
    web, marketplace = _channels(price_list, stock_list)
    _geography_mappings(web, geo[1])
    cargos, payments = _reference_data()
    for channel in (web, marketplace):
        people = _customers(channel, geo)
        _demo_orders(channel, people, products, cargos[0], payments[0], price_list, stock_list)
    username, key = _users(web)
    customer, address = _customers(web, geo)[0]
    world = DemoWorld(web, marketplace, price_list, stock_list, products, customer, address, key)
    world.info = {
        "base_url": base_url,
        "username": username,
        "password": DEMO_PASSWORD,
        "token": key,
        "channel_id": web.pk,
        "other_channel_id": marketplace.pk,
        "product_skus": [p.sku for p in products],
        "product_ids": [p.pk for p in products],
        "price_list_id": price_list.pk,
        "stock_list_id": stock_list.pk,
        "customer_id": customer.pk,
        "address_id": address.pk,
        "cargo_company_id": cargos[0].pk,
        "payment_option_id": payments[0].pk,
        "admin_username": ADMIN_USERNAME,
        "admin_password": ADMIN_PASSWORD,
        "docs_url": f"{base_url}/api/docs/",
        "admin_url": f"{base_url}/admin/",
    }
    return world


# --- Bulk orders for benchmarks ----------------------------------------------------------------

BULK_PREFIX = "BULK-"
# A realistic status mix: most orders delivered, a tail of open, cancelled and refunded ones.
STATUS_MIX = [("550", 52), ("500", 12), ("510", 3), ("450", 5), ("400", 10), ("200", 6), ("100", 8), ("600", 4)]


def bulk_orders_generate(
    *, total: int, channel_ids: list[int] | None = None, batch_size: int = 2000, seed: int = 7
) -> int:
    """Make sure ``total`` synthetic orders (``BULK-…``) exist, with 1–6 items each; return how many were added.

    Uses bulk inserts in batches; customers, addresses and products are taken from what exists.
    """
    rng = random.Random(seed)  # noqa: S311  # synthetic demo data, not security
    existing = Order.objects.filter(number__startswith=BULK_PREFIX).count()
    missing = max(total - existing, 0)
    if not missing:
        return 0
    channels = list(
        (Channel.objects.filter(pk__in=channel_ids) if channel_ids else Channel.objects.all()).select_related("catalog")
    )
    customers = {
        channel.pk: list(Address.objects.filter(channel=channel).values_list("customer_id", "pk")[:5000])
        for channel in channels
    }
    channels = [channel for channel in channels if customers[channel.pk]]
    products = list(Product.objects.values_list("pk", flat=True)[:100000])
    prices = dict(ProductPrice.objects.values_list("product_id", "price"))
    statuses = [code for code, weight in STATUS_MIX for _ in range(weight)]
    now = timezone.now()
    created = 0
    while created < missing:
        size = min(batch_size, missing - created)
        with transaction.atomic():
            orders, item_specs = [], []
            for offset in range(size):
                channel = channels[(existing + created + offset) % len(channels)]
                customer_id, address_id = rng.choice(customers[channel.pk])
                status = rng.choice(statuses)
                chosen = [rng.choice(products) for _ in range(rng.choice([1, 1, 2, 3, 3, 4, 5, 6]))]
                amount = sum((prices.get(pk, Decimal("100.00")) for pk in chosen), Decimal("0"))
                placed = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                orders.append(
                    Order(
                        channel_id=channel.pk,
                        number=f"{BULK_PREFIX}{existing + created + offset + 1:09d}",
                        status=status,
                        date_placed=placed,
                        customer_id=customer_id,
                        shipping_address_id=address_id,
                        billing_address_id=address_id,
                        currency="try",
                        amount=amount,
                        shipping_amount=Decimal("29.90"),
                        is_send=int(status) >= 450,
                    )
                )
                item_specs.append((channel, status, chosen))
            Order.objects.bulk_create(orders, batch_size=batch_size)
            items = [
                OrderItem(
                    order_id=order.pk,
                    channel_id=channel.pk,
                    product_id=product_id,
                    status=status,
                    price_currency="try",
                    price=prices.get(product_id, Decimal("100.00")),
                    tax_rate=Decimal("20"),
                    price_list_id=channel.catalog.price_list_id if channel.catalog else None,
                    stock_list_id=channel.catalog.stock_list_id if channel.catalog else None,
                )
                for order, (channel, status, chosen) in zip(orders, item_specs, strict=True)
                for product_id in chosen
            ]
            OrderItem.objects.bulk_create(items, batch_size=5000)
        created += size
    return created
