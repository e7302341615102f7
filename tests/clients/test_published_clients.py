"""Akinon's published clients (omnisdk 0.0.103, channel-app 0.0.161), unchanged, against a live
server over TLS: one test per capability the order flows use (CLIENTS.md sections 2, 3 and 3.5).

Each test builds the rows in the test database, runs one scenario of ``scenarios.py`` in
``.venv-clients`` and asserts on what the client returned and on the database.
"""

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from channels.models import Address, City, Customer, IntegrationMapping, IntegrationType
from orders.models import Order, OrderItem
from tests.clients.addresses import AYSE_ADDRESS
from tests.factories import (
    AddressFactory,
    CancellationReasonFactory,
    CargoCompanyFactory,
    CityFactory,
    CountryFactory,
    CustomerFactory,
    DistrictFactory,
    OrderFactory,
    OrderItemFactory,
    PriceListFactory,
    ProductFactory,
    ProductPriceFactory,
    ProductStockFactory,
    RetailStoreFactory,
    StockListFactory,
    TownshipFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

CONF = {"send_shipping_info": False, "cancellation_reason_id": 1, "token": "marketplace-token", "api_key": "K"}


@pytest.fixture
def configured(integrator):
    """The integrator's channel with a conf holding marketplace credentials."""
    channel = integrator.channel
    channel.conf = CONF
    channel.save(update_fields=["conf"])
    return integrator


@pytest.fixture
def order_with_items(integrator):
    """An order of two items, and another order of the same channel with one item."""
    channel = integrator.channel
    order = OrderFactory(channel=channel, number="MP-1001", extra_field={"id": "MP-1001"})
    items = [OrderItemFactory(order=order, status="400", extra_field={"id": f"LINE-{n}"}) for n in range(2)]
    OrderItemFactory(order=OrderFactory(channel=channel, number="MP-1002"), extra_field={"id": "OTHER"})
    return order, items


@pytest.fixture
def geography(integrator):
    """Türkiye with Ankara > Çankaya > Kızılay, and an Ankara in another country (same name)."""
    turkey = CountryFactory(code="tr", name="Türkiye")
    ankara = CityFactory(country=turkey, name="Ankara")
    CityFactory(country=CountryFactory(code="us", name="United States"), name="Ankara")
    CityFactory(country=turkey, name="Ankara Merkez")
    cankaya = TownshipFactory(city=ankara, name="Çankaya")
    TownshipFactory(city=ankara, name="Keçiören")
    kizilay = DistrictFactory(township=cankaya, name="Kızılay")
    DistrictFactory(township=cankaya, name="Kızılay Çarşı")
    return turkey, ankara, cankaya, kizilay


def address_dto(**overrides) -> dict:
    dto = {
        **AYSE_ADDRESS,
        "title": "Home",
        "postcode": "06420",
        "remote_id": None,
        "extra_field": {},
    }
    return {**dto, **overrides}


# --- Session and plumbing (CLIENTS.md 1, 2.1-2.4) ---------------------------------------------------


def test_omnisdk_logs_in_and_checks_a_token_with_active_user(run_scenario):
    result = run_scenario("sdk_login_and_token")

    assert result == {"token_prefix": "Token", "validated": True, "refused": "Invalid token"}


def test_omnisdk_reads_the_channel_with_its_whole_conf(run_scenario, configured):
    result = run_scenario("sdk_channel")

    channel = configured.channel
    assert result == {
        "pk": channel.pk,
        "id": channel.pk,
        "name": channel.name,
        "is_active": True,
        "conf": CONF,
        "catalog": channel.catalog_id,
        "category_tree": None,
        "schema": {},
    }


def test_omnisdk_patches_the_channels_category_tree(run_scenario, integrator):
    result = run_scenario("sdk_channel_patch", category_tree=12)

    assert result == {"category_tree": 12, "schema": {}}
    integrator.channel.refresh_from_db()
    assert integrator.channel.category_tree == 12


def test_channel_app_enters_with_the_channel_and_reads_its_catalog(run_scenario, configured):
    catalog = configured.channel.catalog
    extra = PriceListFactory()
    catalog.extra_price_lists.add(extra)

    result = run_scenario("app_enter")

    assert result == {
        "channel_is_active": True,
        "conf": CONF,
        "catalog": {
            "price_list": catalog.price_list_id,
            "stock_list": catalog.stock_list_id,
            "extra_price_lists": [extra.pk],
            "extra_stock_lists": [],
        },
    }


def test_channel_app_merges_its_conf_schema_into_the_channel(run_scenario, integrator):
    channel = integrator.channel
    channel.schema = {"api_key": {"required": True}}
    channel.save(update_fields=["schema"])

    result = run_scenario("app_update_channel_conf_schema", schema={"supplier_id": {"required": False}})

    merged = {"api_key": {"required": True}, "supplier_id": {"required": False}}
    assert result == {"schema": [merged]}
    channel.refresh_from_db()
    assert channel.schema == merged


def test_omnisdk_reads_the_catalog(run_scenario, integrator):
    catalog = integrator.channel.catalog
    catalog.extra_stock_lists.add(StockListFactory())

    result = run_scenario("sdk_catalog")

    assert result == {
        "pk": catalog.pk,
        "price_list": catalog.price_list_id,
        "stock_list": catalog.stock_list_id,
        "extra_price_lists": [],
        "extra_stock_lists": list(catalog.extra_stock_lists.values_list("pk", flat=True)),
    }


def test_content_types_answer_exactly_one_row_per_model_name(run_scenario, integrator):
    models = ["channel", "order", "orderitem", "product", "productprice", "productstock", "productimage"]

    result = run_scenario("sdk_content_types", models=models)

    expected = {
        model: [{"id": ct.pk, "app_label": ct.app_label, "model": model}]
        for model in models
        for ct in [ContentType.objects.get(app_label__in=("channels", "catalog", "orders"), model=model)]
    }
    assert result == {"found": expected}


# --- Orders (CLIENTS.md 3.1-3.3) ---------------------------------------------------------------------


def test_orders_by_number_by_ids_by_id_and_by_order_number(run_scenario, order_with_items):
    order, _ = order_with_items

    result = run_scenario("sdk_orders", order=order.pk, number=order.number)

    assert result["by_number"] == [
        {
            "pk": order.pk,
            "number": "MP-1001",
            "modified_date": order.modified_date.isoformat().replace("+00:00", "Z"),
            "cargo_company": order.cargo_company_id,
            "extra_field": {"id": "MP-1001"},
        }
    ]
    assert result["by_pks"] == [order.pk]
    assert result["one"] == {"pk": order.pk, "number": "MP-1001"}
    assert result["missing"] == 0
    assert result["order_number_route"] == {"pk": order.pk, "number": "MP-1001", "status": order.status}


def test_order_items_of_one_order_are_that_orders_items_only(run_scenario, order_with_items):
    order, items = order_with_items

    result = run_scenario("sdk_order_items", order=order.pk)

    assert result["items"] == [
        {"pk": item.pk, "order": order.pk, "remote_id": f"LINE-{n}"} for n, item in enumerate(items)
    ]
    assert result["detail"]["order_number"] == "MP-1001"
    assert result["detail"]["pk"] == items[0].pk
    assert result["v1_items"] == [item.pk for item in items]


def test_channel_app_reads_each_orders_items(run_scenario, order_with_items):
    order, items = order_with_items
    other = Order.objects.get(number="MP-1002")

    result = run_scenario("app_order_items_with_order", orders=[order.pk, other.pk])

    assert result == {
        "orders": {
            str(order.pk): [item.pk for item in items],
            str(other.pk): list(other.orderitem_set.values_list("pk", flat=True)),
        }
    }


def test_an_order_item_takes_the_patch_update_order_items_sends(run_scenario, order_with_items):
    _, items = order_with_items

    result = run_scenario("sdk_order_item_patch", item=items[0].pk)

    assert result == {"status": "550", "invoice_number": "INV-1", "tracking_number": "TRK-1", "order_number": "MP-1001"}
    items[0].refresh_from_db()
    assert (items[0].status, items[0].invoice_number, items[0].tracking_number) == ("550", "INV-1", "TRK-1")


def test_create_orders_takes_the_body_channel_app_builds(run_scenario, integrator):
    channel = integrator.channel
    customer = CustomerFactory(channel=channel)
    address = AddressFactory(customer=customer)
    product = ProductFactory()
    ProductPriceFactory(price_list=channel.catalog.price_list, product=product)
    ProductStockFactory(stock_list=channel.catalog.stock_list, product=product, stock=5)
    cargo = CargoCompanyFactory()

    result = run_scenario(
        "sdk_create_order",
        number="MP-NEW-1",
        product=product.pk,
        customer=customer.pk,
        address=address.pk,
        cargo=cargo.pk,
        price_list=channel.catalog.price_list_id,
        stock_list=channel.catalog.stock_list_id,
    )

    order = Order.objects.get(channel=channel, number="MP-NEW-1")
    items = list(OrderItem.objects.filter(order=order).order_by("pk"))
    assert result["pk"] == order.pk
    assert result["extra_field"] == {"id": "MP-NEW-1"}
    assert result["items"] == [{"pk": item.pk, "remote_id": f"LINE-{n}"} for n, item in enumerate(items)]
    assert [(item.price, item.status) for item in items] == [(Decimal("100.00"), "400")] * 2
    # "status": "" is the default order status; a naive date_placed is UTC.
    assert order.status == "200"
    assert order.date_placed.replace(tzinfo=None) == datetime(2025, 6, 1, 12, 30, 5)


def test_cancel_takes_the_body_create_order_cancel_sends(run_scenario, order_with_items):
    order, items = order_with_items
    reason = CancellationReasonFactory()

    result = run_scenario("sdk_cancel", order=order.pk, items=[items[0].pk], reason=reason.pk)

    assert result == {"response_keys": ["cancellation_plans"]}
    assert list(OrderItem.objects.filter(order=order).order_by("pk").values_list("status", flat=True)) == ["100", "400"]


def test_price_lists_stock_lists_and_cancellation_reasons_of_the_channel(run_scenario, integrator):
    catalog = integrator.channel.catalog
    extra = PriceListFactory()
    catalog.extra_price_lists.add(extra)
    PriceListFactory(), StockListFactory()
    reason = CancellationReasonFactory()

    result = run_scenario("sdk_channel_lists")

    assert result == {
        "price_lists": sorted([catalog.price_list_id, extra.pk]),
        "stock_lists": [catalog.stock_list_id],
        "cancellation_reasons": [reason.pk],
    }


def test_products_prices_and_stocks_by_product_ids(run_scenario, integrator):
    catalog = integrator.channel.catalog
    wanted, other = ProductFactory(), ProductFactory()
    price = ProductPriceFactory(price_list=catalog.price_list, product=wanted)
    ProductPriceFactory(price_list=catalog.price_list, product=other)
    stock = ProductStockFactory(stock_list=catalog.stock_list, product=wanted, stock=7)
    ProductStockFactory(stock_list=catalog.stock_list, product=other)

    result = run_scenario(
        "sdk_catalog_reads", products=[wanted.pk], price_list=catalog.price_list_id, stock_list=catalog.stock_list_id
    )

    assert result == {
        "products": [wanted.pk],
        "prices": [{"pk": price.pk, "product": wanted.pk}],
        "stocks": [{"pk": stock.pk, "product": wanted.pk, "stock": 7}],
    }


# --- Customers, addresses, geography, cargos, retail stores (CLIENTS.md 3.5) ---------------------------


def test_channel_app_creates_a_customer_then_finds_and_updates_it(run_scenario, integrator):
    first = {"email": "ayse@example.com", "first_name": "Ayşe", "last_name": "Yılmaz", "channel_code": "C-1"}
    renamed = {**first, "last_name": "Kaya"}

    result = run_scenario("app_customer", customers=[first, first, renamed])

    customer = Customer.objects.get(channel=integrator.channel)
    row = {"pk": customer.pk, "email": "ayse@example.com", "first_name": "Ayşe"}
    assert result == {
        "results": [[{**row, "last_name": "Yılmaz"}], [{**row, "last_name": "Yılmaz"}], [{**row, "last_name": "Kaya"}]]
    }
    assert (customer.last_name, customer.channel_code) == ("Kaya", "C-1")


def test_channel_app_customer_lookup_is_by_the_exact_email(run_scenario, integrator):
    CustomerFactory(channel=integrator.channel, email="AYSE@example.com", channel_code="OTHER")

    result = run_scenario(
        "app_customer",
        customers=[{"email": "ayse@example.com", "first_name": "Ayşe", "last_name": "Yılmaz", "channel_code": "C-1"}],
    )

    created = Customer.objects.get(channel=integrator.channel, email="ayse@example.com")
    assert result["results"] == [
        [{"pk": created.pk, "email": "ayse@example.com", "first_name": "Ayşe", "last_name": "Yılmaz"}]
    ]


def test_omnisdk_geography_lookups_find_exactly_one_country_and_city(run_scenario, geography):
    turkey, ankara, _, _ = geography

    result = run_scenario("sdk_geography", country="tr", city="ankara")

    assert result == {"countries": [turkey.pk], "cities": [ankara.pk]}


def test_channel_app_creates_an_address_resolving_the_geography(run_scenario, integrator, geography):
    turkey, ankara, cankaya, kizilay = geography
    customer = CustomerFactory(channel=integrator.channel)

    result = run_scenario("app_address", customer=customer.pk, addresses=[address_dto()])

    address = Address.objects.get(customer=customer)
    assert result == {
        "results": [
            [
                {
                    "pk": address.pk,
                    "country": turkey.pk,
                    "city": ankara.pk,
                    "township": cankaya.pk,
                    "district": kizilay.pk,
                }
            ]
        ]
    }
    assert (address.line, address.postcode, address.channel_id) == (
        "Atatürk Blv. No: 1",
        "06420",
        integrator.channel.pk,
    )


def test_channel_app_reuses_an_identical_address_through_its_hash_data(run_scenario, integrator, geography):
    customer = CustomerFactory(channel=integrator.channel)

    result = run_scenario("app_address", customer=customer.pk, addresses=[address_dto(), address_dto()])

    address = Address.objects.get(customer=customer)
    assert [rows[0]["pk"] for rows in result["results"]] == [address.pk, address.pk]


def test_channel_app_finds_a_city_through_its_channel_mapping(run_scenario, integrator, geography):
    turkey, _, _, _ = geography
    mapped = CityFactory(country=turkey, name="Nevşehir")
    IntegrationMapping.objects.create(
        content_type=ContentType.objects.get_for_model(City),
        object_id=mapped.pk,
        integration_type=IntegrationType.SALES_CHANNEL,
        code=f"{integrator.channel.pk}_Kapadokya",
    )
    customer = CustomerFactory(channel=integrator.channel)

    result = run_scenario(
        "app_address", customer=customer.pk, addresses=[address_dto(city="Kapadokya", township=None, district=None)]
    )

    address = Address.objects.get(customer=customer)
    assert result["results"] == [
        [{"pk": address.pk, "country": turkey.pk, "city": mapped.pk, "township": None, "district": None}]
    ]


def test_channel_app_creates_a_retail_store_address(run_scenario, integrator, geography):
    store = RetailStoreFactory(erp_code="ANK-01")
    RetailStoreFactory(erp_code="ANK-010")
    customer = CustomerFactory(channel=integrator.channel)

    result = run_scenario("app_address", customer=customer.pk, addresses=[address_dto(retail_store=store.erp_code)])

    address = Address.objects.get(customer=customer)
    assert [rows[0]["pk"] for rows in result["results"]] == [address.pk]


def test_omnisdk_finds_exactly_one_retail_store_by_erp_code(run_scenario, integrator):
    store = RetailStoreFactory(erp_code="ANK-01")
    RetailStoreFactory(erp_code="ANK-010")

    result = run_scenario("sdk_retail_store", erp_code="ANK-01")

    assert result == {"stores": [{"pk": store.pk, "erp_code": "ANK-01"}]}


def test_cargos_are_read_on_every_page_and_by_id(run_scenario, integrator):
    cargos = sorted(
        [CargoCompanyFactory(name=f"Cargo {n:02d}", erp_code=f"C{n:02d}") for n in range(12)], key=lambda c: c.name
    )

    result = run_scenario("sdk_cargos")

    assert result["cargos"] == [{"pk": cargo.pk, "erp_code": cargo.erp_code} for cargo in cargos]
    assert result["one"] == {"pk": cargos[0].pk, "erp_code": cargos[0].erp_code}


def test_channel_app_finds_the_cargo_company_by_its_erp_code(run_scenario, integrator):
    CargoCompanyFactory(erp_code="yurtici-kargo-2")
    wanted = CargoCompanyFactory(erp_code="yurtici-kargo")

    result = run_scenario("app_cargo", erp_code="yurtici-kargo")

    assert result == {"cargos": [{"pk": wanted.pk, "erp_code": "yurtici-kargo"}]}
