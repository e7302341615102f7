"""factory-boy factories that build consistent objects: an item's product is priced in its
channel's price list, an address's city belongs to its country, and so on."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Catalog, PriceList, Product, ProductImage, ProductPrice, ProductStock, StockList
from channels.models import (
    Address,
    CargoCompany,
    Channel,
    ChannelMembership,
    City,
    Country,
    Customer,
    District,
    PaymentOption,
    RetailStore,
    Township,
)
from channels.services import address_hash
from orders.models import CancellationReason, CancellationRequest, Order, OrderItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("pw-for-tests-123")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    name = "Turkey"
    code = "tr"


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"City {n}")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Township {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    township = factory.SubFactory(TownshipFactory)
    city = factory.LazyAttribute(lambda o: o.township.city)
    name = factory.Sequence(lambda n: f"District {n}")
    postcode = "34000"


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList

    name = factory.Sequence(lambda n: f"Price list {n}")
    code = factory.Sequence(lambda n: f"pl-{n}")
    currency = "try"


class StockListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockList

    name = factory.Sequence(lambda n: f"Stock list {n}")
    code = factory.Sequence(lambda n: f"sl-{n}")


class CatalogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalog

    name = factory.Sequence(lambda n: f"Catalog {n}")
    price_list = factory.SubFactory(PriceListFactory)
    stock_list = factory.SubFactory(StockListFactory)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"Channel {n}")
    catalog = factory.SubFactory(CatalogFactory)
    conf = factory.LazyFunction(lambda: {"server": "http://localhost:8080/api/v1/", "api_password": "hidden"})


class RetailStoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetailStore

    name = factory.Sequence(lambda n: f"Store {n}")
    erp_code = factory.Sequence(lambda n: f"STORE-{n}")
    address = "Bağdat Cd. No: 1"


class ChannelMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelMembership

    channel = factory.SubFactory(ChannelFactory)
    user = factory.SubFactory(UserFactory)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    channel = factory.SubFactory(ChannelFactory)
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    first_name = "Ayşe"
    last_name = "Yılmaz"
    phone_number = "05550000000"
    channel_code = factory.Sequence(lambda n: f"cust-{n}")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    customer = factory.SubFactory(CustomerFactory)
    channel = factory.LazyAttribute(lambda o: o.customer.channel)
    district = factory.SubFactory(DistrictFactory)
    township = factory.LazyAttribute(lambda o: o.district.township)
    city = factory.LazyAttribute(lambda o: o.district.city)
    country = factory.LazyAttribute(lambda o: o.district.city.country)
    title = "Home"
    email = factory.LazyAttribute(lambda o: o.customer.email)
    first_name = "Ayşe"
    last_name = "Yılmaz"
    phone_number = "05550000000"
    line = factory.Sequence(lambda n: f"{n} Test Sokak")
    postcode = "34000"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        address = model_class(*args, **kwargs)
        from channels.services import ADDRESS_HASH_FIELDS

        address.hash_data = address_hash(
            customer_id=address.customer_id, values={name: getattr(address, name) for name in ADDRESS_HASH_FIELDS}
        )
        address.save()
        return address


class CargoCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CargoCompany

    name = "Yurtiçi Kargo"
    erp_code = factory.Sequence(lambda n: f"YK{n}")
    shipping_company = "yurtici"


class PaymentOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentOption

    name = "Credit card"
    slug = factory.Sequence(lambda n: f"credit-card-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    sku = factory.Sequence(lambda n: f"SKU{n:05d}")
    base_code = factory.Sequence(lambda n: f"BASE{n}")
    barcode = factory.Sequence(lambda n: f"869{n:010d}")
    attributes = factory.LazyFunction(lambda: {"renk": "SİYAH", "beden": "L"})
    attributes_kwargs = factory.LazyFunction(
        lambda: {"renk": {"label": "SİYAH", "value": "SİYAH", "data_type": "dropdown"}}
    )


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    url = factory.Sequence(lambda n: f"https://cdn.example.com/p/{n}.jpg")
    order = 1


class ProductPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductPrice

    price_list = factory.SubFactory(PriceListFactory)
    product = factory.SubFactory(ProductFactory)
    price = Decimal("100.00")
    retail_price = Decimal("120.00")
    tax_rate = Decimal("20")


class ProductStockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductStock

    stock_list = factory.SubFactory(StockListFactory)
    product = factory.SubFactory(ProductFactory)
    stock = 10


class CancellationReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CancellationReason

    name = factory.Sequence(lambda n: f"Reason {n}")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    channel = factory.SubFactory(ChannelFactory)
    number = factory.Sequence(lambda n: f"ORD{n:06d}")
    status = "400"
    date_placed = factory.LazyFunction(timezone.now)
    customer = factory.SubFactory(CustomerFactory, channel=factory.SelfAttribute("..channel"))
    shipping_address = factory.SubFactory(AddressFactory, customer=factory.SelfAttribute("..customer"))
    billing_address = factory.SelfAttribute("shipping_address")
    currency = "try"
    amount = Decimal("100.00")
    shipping_amount = Decimal("10.00")


class OrderItemFactory(factory.django.DjangoModelFactory):
    """An item of ``order`` whose product is priced and stocked in the channel's lists."""

    class Meta:
        model = OrderItem
        skip_postgeneration_save = True

    order = factory.SubFactory(OrderFactory)
    channel = factory.LazyAttribute(lambda o: o.order.channel)
    product = factory.SubFactory(ProductFactory)
    status = factory.LazyAttribute(lambda o: o.order.status)
    price_currency = factory.LazyAttribute(lambda o: o.order.currency)
    price = Decimal("100.00")
    tax_rate = Decimal("20")
    price_list = factory.LazyAttribute(lambda o: o.order.channel.catalog.price_list)
    stock_list = factory.LazyAttribute(lambda o: o.order.channel.catalog.stock_list)

    @factory.post_generation
    def priced(obj, create, extracted, **kwargs):
        if create and obj.price_list_id:
            ProductPrice.objects.get_or_create(
                price_list=obj.price_list, product=obj.product, defaults={"price": obj.price, "tax_rate": obj.tax_rate}
            )


class CancellationRequestFactory(factory.django.DjangoModelFactory):
    """A request for an item of ``order_item``'s channel (written directly: no outbox row)."""

    class Meta:
        model = CancellationRequest

    order_item = factory.SubFactory(OrderItemFactory)
    channel = factory.LazyAttribute(lambda o: o.order_item.channel)
    reason = factory.SubFactory(CancellationReasonFactory)
    cancellation_type = "cancel"
    remote_id = factory.Sequence(lambda n: f"MP-CR-{n}")


def listed_products(channel, count: int, *, images: bool = False) -> list[Product]:
    """``count`` products priced in the channel's catalog's price list and stocked in its stock
    list (each with an image when ``images``)."""
    products = [ProductFactory() for _ in range(count)]
    for product in products:
        ProductPriceFactory(price_list=channel.catalog.price_list, product=product)
        ProductStockFactory(stock_list=channel.catalog.stock_list, product=product)
        if images:
            ProductImageFactory(product=product)
    return products
