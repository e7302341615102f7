"""Read-only lookups under a channel: geography, cargos, products, prices, stocks, cancellation reasons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import StockReservation
from tests.factories import (
    CancellationReasonFactory,
    CargoCompanyFactory,
    DistrictFactory,
    PriceListFactory,
    ProductFactory,
    ProductImageFactory,
    ProductPriceFactory,
    ProductStockFactory,
    StockListFactory,
)

pytestmark = pytest.mark.django_db


def get(client, channel, path):
    response = client.get(f"/api/v1/channel/{channel.pk}/{path}")
    assert response.status_code == 200, response.content
    return response.json()


def pks(body) -> list[int]:
    return [row["pk"] for row in body["results"]]


LOOKUPS = [
    "countries/",
    "cities/",
    "townships/",
    "districts/",
    "cargos/",
    "products/",
    "product_prices/",
    "product_stocks/",
    "cancellation_reasons/",
]


@pytest.mark.parametrize("path", LOOKUPS)
def test_lookups_are_404_under_a_foreign_channel(member_client, other_channel, path):
    response = member_client.get(f"/api/v1/channel/{other_channel.pk}/{path}")
    assert response.status_code == 404


@pytest.mark.parametrize("path", LOOKUPS)
def test_lookups_need_a_token(anon_client, channel, path):
    assert anon_client.get(f"/api/v1/channel/{channel.pk}/{path}").status_code == 401


def test_geography_filters(member_client, channel):
    district = DistrictFactory()
    other = DistrictFactory()
    city, township, country = district.city, district.township, district.city.country
    assert pks(get(member_client, channel, f"cities/?country={country.pk}")) == sorted([city.pk, other.city.pk])
    assert pks(get(member_client, channel, f"townships/?city={city.pk}")) == [township.pk]
    assert pks(get(member_client, channel, f"districts/?township={township.pk}")) == [district.pk]
    assert pks(get(member_client, channel, f"districts/?city={other.city.pk}")) == [other.pk]
    assert get(member_client, channel, "countries/?code=TR")["results"][0]["code"] == "tr"
    assert get(member_client, channel, f"districts/{district.pk}/") == {
        "pk": district.pk,
        "name": district.name,
        "city": city.pk,
        "township": township.pk,
        "postcode": "34000",
        "is_active": True,
        "created_date": district.created_date.isoformat().replace("+00:00", "Z"),
        "modified_date": district.modified_date.isoformat().replace("+00:00", "Z"),
    }


def test_cargos_and_cancellation_reasons(member_client, channel):
    cargo = CargoCompanyFactory(shipping_company="aras")
    CargoCompanyFactory(shipping_company="ups")
    assert pks(get(member_client, channel, "cargos/?shipping_company=aras")) == [cargo.pk]
    reason = CancellationReasonFactory(cancellation_type="refund")
    CancellationReasonFactory(cancellation_type="cancel")
    assert pks(get(member_client, channel, "cancellation_reasons/?cancellation_type=refund")) == [reason.pk]


def test_products_filters_and_images(member_client, channel):
    first = ProductFactory(sku="S-1", base_code="B", barcode="111")
    second = ProductFactory(sku="S-2", base_code="B")
    image = ProductImageFactory(product=first)
    assert pks(get(member_client, channel, "products/?sku=S-1")) == [first.pk]
    assert pks(get(member_client, channel, "products/?sku__in=S-1,S-2,S-3")) == [first.pk, second.pk]
    assert pks(get(member_client, channel, "products/?base_code=B")) == [first.pk, second.pk]
    assert pks(get(member_client, channel, "products/?barcode=111")) == [first.pk]
    assert pks(get(member_client, channel, "products/?sku=nope")) == []
    body = get(member_client, channel, f"products/{first.pk}/")
    assert body["productimage_set"] == [{"pk": image.pk, "url": image.url, "order": 1}]


def test_product_prices_are_the_channels_price_list(member_client, channel):
    mine = ProductPriceFactory(price_list=channel.catalog.price_list, price="599.9", tax_rate="8")
    ProductPriceFactory(price_list=PriceListFactory(), product=mine.product)
    body = get(member_client, channel, "product_prices/")
    assert pks(body) == [mine.pk]
    row = body["results"][0]
    assert (row["price"], row["tax_rate"], row["currency"]) == ("599.90", "8.00", "try")
    assert pks(get(member_client, channel, f"product_prices/?product__sku={mine.product.sku}")) == [mine.pk]
    assert pks(get(member_client, channel, "product_prices/?product__sku=nope")) == []


def test_product_stocks_show_available(member_client, channel):
    stock = ProductStockFactory(stock_list=channel.catalog.stock_list, stock=10)
    ProductStockFactory(stock_list=StockListFactory(), product=stock.product)
    StockReservation.objects.create(stock=stock)
    StockReservation.objects.create(stock=stock, quantity=2)
    from django.utils import timezone

    StockReservation.objects.create(stock=stock, released_at=timezone.now())
    body = get(member_client, channel, f"product_stocks/?product={stock.product_id}")
    assert [(row["pk"], row["stock"], row["reserved"], row["available"]) for row in body["results"]] == [
        (stock.pk, 10, 3, 7)
    ]


@pytest.mark.parametrize("path", ["products/", "product_prices/", "product_stocks/", "districts/"])
def test_lookup_queries_do_not_grow_with_page_size(member_client, channel, path):
    for _ in range(15):
        product = ProductFactory()
        ProductImageFactory(product=product)
        ProductPriceFactory(price_list=channel.catalog.price_list, product=product)
        ProductStockFactory(stock_list=channel.catalog.stock_list, product=product)
        DistrictFactory()
    member_client.get(f"/api/v1/channel/{channel.pk}/{path}")  # token's last-used write happens here
    counts = []
    for limit in (1, 12):
        with CaptureQueriesContext(connection) as context:
            assert member_client.get(f"/api/v1/channel/{channel.pk}/{path}?limit={limit}").status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
