"""Tenant isolation, endpoint by endpoint: a member of channel A never reaches channel B.

Channel B holds rows that look like A's (the same order number, customer email and channel
code), so a list that forgot its scope would show them. For every API route:
- called with B's channel id (and B's object ids), it answers 404 exactly like a missing row;
- called with A's channel and an id of B's object, or on a flat route with B's ids, 404;
- a list never shows B's rows, even filtered for values B's rows match (and shows A's);
- a refused write changes nothing.

``test_every_api_route_is_in_the_isolation_table`` walks the URL resolver: a new route fails it
until it has a row here.
"""

from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from catalog.models import Catalog, PriceList, ProductImage, ProductPrice, ProductStock, StockList
from channels.models import Address, CargoCompany, Channel, Customer, IntegrationMapping, IntegrationType, RetailStore
from integrations.models import BatchRequest, IntegrationAction
from orders.models import CancellationReason, CancellationRequest, Order, OrderItem
from orders.services.shipping_infos import SHIPPING_COMPANY_HELP
from tests.database_state import database_state
from tests.factories import (
    AddressFactory,
    CancellationReasonFactory,
    CancellationRequestFactory,
    CargoCompanyFactory,
    CityFactory,
    CountryFactory,
    CustomerFactory,
    DistrictFactory,
    OrderFactory,
    OrderItemFactory,
    PaymentOptionFactory,
    ProductFactory,
    ProductStockFactory,
    RetailStoreFactory,
    TownshipFactory,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
SAME_NUMBER = "SAME-NUMBER"
SAME_EMAIL = "same@example.com"
SAME_REMOTE_ID = "SAME-REMOTE-ID"


@dataclass
class Tenant:
    """One channel's rows, alike in every channel."""

    channel: Channel
    customer: Customer
    address: Address
    order: Order
    item: OrderItem
    price: ProductPrice
    stock: ProductStock
    mapping: IntegrationMapping
    # An order whose number only this tenant has (``order_number/{number}/``).
    numbered: Order
    cancellation_request: CancellationRequest
    # A batch request and the order's integration action (changed since last sent: in orders/updates/).
    batch: BatchRequest
    ia: IntegrationAction

    @property
    def catalog(self) -> Catalog:
        return self.channel.catalog

    @property
    def price_list(self) -> PriceList:
        return self.channel.catalog.price_list

    @property
    def stock_list(self) -> StockList:
        return self.channel.catalog.stock_list


def tenant_of(channel: Channel) -> Tenant:
    customer = CustomerFactory(channel=channel, email=SAME_EMAIL, channel_code="SAME-CODE")
    address = AddressFactory(customer=customer, email=SAME_EMAIL)
    product = ProductFactory()
    order = OrderFactory(channel=channel, number=SAME_NUMBER, customer=customer, shipping_address=address)
    item = OrderItemFactory(order=order, product=product)
    return Tenant(
        channel=channel,
        customer=customer,
        address=address,
        order=order,
        item=item,
        price=ProductPrice.objects.get(price_list=channel.catalog.price_list, product=product),
        stock=ProductStockFactory(stock_list=channel.catalog.stock_list, product=product),
        mapping=IntegrationMapping.objects.create(
            content_object=item, integration_type=IntegrationType.EXTERNAL_COMPANY, code=f"ERP-{channel.pk}"
        ),
        numbered=OrderFactory(
            channel=channel, number=f"ONLY-{channel.pk}", customer=customer, shipping_address=address
        ),
        cancellation_request=CancellationRequestFactory(order_item=item, remote_id=SAME_REMOTE_ID),
        batch=BatchRequest.objects.create(channel=channel),
        ia=IntegrationAction.objects.create(
            channel=channel,
            content_type=ContentType.objects.get_for_model(Order),
            object_id=order.pk,
            remote_id="SAME-REMOTE",
            status="success",
            pending_seq=1,
        ),
    )


@pytest.fixture
def mine(channel) -> Tenant:
    return tenant_of(channel)


@pytest.fixture
def theirs(other_channel) -> Tenant:
    return tenant_of(other_channel)


@pytest.fixture
def reason(db) -> CancellationReason:
    return CancellationReasonFactory()


@pytest.fixture(autouse=True)
def shared_reference_data(db):
    """Cargo companies and retail stores exist for everyone (reference data, not a tenant's)."""
    CargoCompanyFactory()
    RetailStoreFactory()


# --- The table: one row per route and method ------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """An API route and method. ``obj`` names which tenant object its ``pk``/``id`` is
    (None: no id in the path); ``body`` builds a write's body for a tenant (valid for that
    tenant's own rows, so only the tenancy refuses it); ``lists`` says which tenant rows a list
    shows (None: not a list of tenant rows); ``query`` filters a list for values both tenants match."""

    name: str
    method: str
    obj: str | None = None
    body: object = None
    lists: str | None = None
    query: tuple = ()


def customer_body(t: Tenant, reason=None) -> dict:
    return {"email": "changed@example.com", "first_name": "Changed", "channel_code": "NEW-CODE"}


def address_body(t: Tenant, reason=None) -> dict:
    a = t.address
    return {
        "customer": t.customer.pk,
        "title": "Changed",
        "first_name": "Ali",
        "last_name": "Veli",
        "country": a.country_id,
        "city": a.city_id,
        "township": a.township_id,
        "district": a.district_id,
        "line": "Changed Sk. 1",
    }


def create_orders_body(t: Tenant, reason=None) -> dict:
    return {
        "order": {
            "number": "NEW-ORDER",
            "customer": t.customer.pk,
            "shipping_address": t.address.pk,
            "billing_address": t.address.pk,
            "currency": "try",
            "amount": "100.00",
        },
        "order_item": [{"product": t.item.product_id, "price": "100.00"}],
    }


def cancel_body(t: Tenant, reason: CancellationReason) -> dict:
    return {"cancel_items": [t.item.pk], "reasons": {str(t.item.pk): reason.pk}}


BODIES = {
    "customer": customer_body,
    "customer_patch": lambda t, r: {"first_name": "Changed"},
    "address": address_body,
    "address_patch": lambda t, r: {"title": "Changed"},
    "item_patch": lambda t, r: {"tracking_number": "TRK-CHANGED"},
    "order_patch": lambda t, r: {"is_send": True},
    "cancel": cancel_body,
    "create_orders": create_orders_body,
    "create_mapping": lambda t, r: {"code": "ERP-NEW", "update_stock": True},
    "bulk": lambda t, r: {"orderitem_set": [{"id": t.item.pk, "status": "450"}]},
    "channel_patch": lambda t, r: {"category_tree": 7, "schema": {"changed": True}},
    "cancellation_request": lambda t, r: {"order_item": t.item.pk, "reason": r.pk, "remote_id": "NEW-REMOTE-ID"},
    "cancellation_request_patch": lambda t, r: {"status": "approved"},
    "shipping_info": lambda t, r: {"order": t.order.pk, "shipping_company": "yurtici"},
    "batch_create": lambda t, r: {"channel": str(t.channel.pk)},
    "batch_commit": lambda t, r: {
        "channel": str(t.channel.pk),
        "status": "commit",
        "content_type": "order",
        "objects": [{"pk": t.order.pk, "content_type": "order", "version_date": None, "remote_id": "R"}],
    },
    "ia_create": lambda t, r: {"content_type": "order", "object_id": t.numbered.pk, "remote_id": "NEW"},
    "ia_patch": lambda t, r: {"remote_id": "CHANGED"},
    "error_report": lambda t, r: {"error_code": "E-1", "error_desc": "GetOrders", "is_ok": False},
    "error_kind": lambda t, r: {"type": "city", "remote_code": "x", "err_code": "integrations_200_10_2"},
}


def body_for(route: Route, tenant: Tenant, reason) -> dict | None:
    if route.body is None:
        return None
    return BODIES[route.body](tenant, reason)


CHANNEL_ROUTES = [
    # Reference data shared by every channel: only the channel in the path is checked.
    Route("channel:channel-country-list", "get"),
    Route("channel:channel-country-detail", "get", obj="country"),
    Route("channel:channel-city-list", "get"),
    Route("channel:channel-city-detail", "get", obj="city"),
    Route("channel:channel-township-list", "get"),
    Route("channel:channel-township-detail", "get", obj="township"),
    Route("channel:channel-district-list", "get"),
    Route("channel:channel-district-detail", "get", obj="district"),
    Route("channel:channel-cargo-list", "get"),
    Route("channel:channel-cargo-detail", "get", obj="cargo"),
    Route("channel:channel-product-list", "get"),
    Route("channel:channel-product-detail", "get", obj="product"),
    Route("channel:channel-product-image-list", "get"),
    Route("channel:channel-product-image-detail", "get", obj="product_image"),
    # The catalog feeds: rows of the channel's catalog lists only (tests/catalog/test_api_feeds.py).
    *[
        Route(f"channel:channel-{feed}-{mode}", "get")
        for feed in ("products", "product-images", "product-prices", "product-stocks")
        for mode in ("inserts", "updates")
    ],
    Route("channel:channel-products-inserts-or-updates", "get"),
    *[
        Route(f"channel:channel-extra-product-{kind}s-{mode}", "get")
        for kind in ("price", "stock")
        for mode in ("inserts", "updates")
    ],
    Route("channel:channel-extra-product-price-list", "get"),
    Route("channel:channel-extra-product-stock-list", "get"),
    Route("channel:channel-cancellation-reason-list", "get"),
    Route("channel:channel-cancellation-reason-detail", "get", obj="reason"),
    Route("channel:channel-retail-store-list", "get"),
    Route("channel:channel-retail-store-detail", "get", obj="retail_store"),
    # The tenant's own rows.
    Route("channel:customer-list", "get", lists="customer", query=(("email", SAME_EMAIL),)),
    Route("channel:customer-list", "post", body="customer"),
    Route("channel:customer-detail", "get", obj="customer"),
    Route("channel:customer-detail", "put", obj="customer", body="customer"),
    Route("channel:customer-detail", "patch", obj="customer", body="customer_patch"),
    Route("channel:address-list", "get", lists="address", query=(("email", SAME_EMAIL),)),
    Route("channel:address-list", "post", body="address"),
    Route("channel:address-detail", "get", obj="address"),
    Route("channel:address-detail", "put", obj="address", body="address"),
    Route("channel:address-detail", "patch", obj="address", body="address_patch"),
    Route("channel:channel-product-price-list", "get", lists="price"),
    Route("channel:channel-product-price-detail", "get", obj="price"),
    Route("channel:channel-product-stock-list", "get", lists="stock"),
    Route("channel:channel-product-stock-detail", "get", obj="stock"),
    Route("channel:channel-price-list-list", "get", lists="price_list"),
    Route("channel:channel-stock-list-list", "get", lists="stock_list"),
    Route("channel:channel-order-item-list", "get", lists="item", query=(("order__number", SAME_NUMBER),)),
    Route("channel:channel-order-item-detailed", "get", lists="item", query=(("order__number", SAME_NUMBER),)),
    Route(
        "channel:channel-order-item-detailed-integration",
        "get",
        lists="item",
        query=(("mapping__integration_type", "external_company"),),
    ),
    Route("channel:channel-order-item-detail", "get", obj="item"),
    Route("channel:channel-order-item-detail", "patch", obj="item", body="item_patch"),
    Route("channel:channel-order-list", "get", lists="order", query=(("number", SAME_NUMBER),)),
    Route("channel:channel-order-detail", "get", obj="order"),
    Route("channel:channel-order-cancel", "post", obj="order", body="cancel"),
    Route("channel:create-orders", "post", body="create_orders"),
    Route(
        "channel:cancellation-request-list",
        "get",
        lists="cancellation_request",
        query=(("remote_id", SAME_REMOTE_ID),),
    ),
    Route("channel:cancellation-request-list", "post", body="cancellation_request"),
    Route("channel:cancellation-request-detail", "get", obj="cancellation_request"),
    Route("channel:cancellation-request-detail", "put", obj="cancellation_request", body="cancellation_request_patch"),
    Route(
        "channel:cancellation-request-detail", "patch", obj="cancellation_request", body="cancellation_request_patch"
    ),
    Route("channel:cancellation-request-reject", "post", obj="cancellation_request"),
    # The feed offers only requests with an integration action; the 404s for channel B still apply.
    Route("channel:cancellation-request-updates", "get"),
    Route("channel:order-shipping-info-list", "post", body="shipping_info"),
    Route("channel:channel-order-updates", "get", lists="order"),
    Route("channel:batch-request-list", "get", lists="batch"),
    Route("channel:batch-request-list", "post", body="batch_create"),
    Route("channel:batch-request-detail", "get", obj="batch"),
    Route("channel:batch-request-detail", "patch", obj="batch", body="batch_commit"),
    Route("channel:integration-action-list", "get", lists="ia", query=(("remote_id__exact", "SAME-REMOTE"),)),
    Route("channel:integration-action-list", "post", body="ia_create"),
    Route("channel:integration-action-detail", "get", obj="ia"),
    Route("channel:integration-action-detail", "patch", obj="ia", body="ia_patch"),
    Route("channel:integration-action-detail", "delete", obj="ia"),
    Route("channel:integration-action-deleted", "get", query=(("model", "product"),)),
    Route("channel:error-report-create", "post", body="error_report"),
    *(
        Route(f"channel:error-report-{kind}", "post", body="error_kind")
        for kind in ("country", "city", "township", "district", "distinct")
    ),
    Route("channel:change-stream", "get"),
]

# Routes without a channel in the path: the caller's channels are the scope.
FLAT_ROUTES = [
    Route("oms:order-item-list", "get", lists="item", query=(("order_number", SAME_NUMBER),)),
    Route("oms:order-item-list-simple", "get", lists="item", query=(("order_number", SAME_NUMBER),)),
    Route("oms:order-item-detail", "get", obj="item"),
    Route("v1-extra:channel-detail", "get", obj="channel"),
    Route("v1-extra:channel-detail", "patch", obj="channel", body="channel_patch"),
    Route("v1-extra:catalog-detail", "get", obj="catalog"),
    Route("v1-extra:order-number-detail", "get", obj="numbered"),
]
for prefix in ("i1", "v1"):
    FLAT_ROUTES += [
        Route(f"{prefix}:order-list", "get", lists="order", query=(("number", SAME_NUMBER),)),
        Route(f"{prefix}:order-detail", "get", obj="order"),
        Route(f"{prefix}:order-detail", "patch", obj="order", body="order_patch"),
        Route(f"{prefix}:order-cancel", "post", obj="order", body="cancel"),
        Route(f"{prefix}:order-events", "get", obj="order"),
        Route(f"{prefix}:order-item-list", "get", lists="item", query=(("order__number", SAME_NUMBER),)),
        Route(f"{prefix}:order-item-detail", "get", obj="item"),
        Route(f"{prefix}:order-item-detail", "patch", obj="item", body="item_patch"),
        Route(f"{prefix}:order-item-create-mapping", "post", obj="item", body="create_mapping"),
        Route(f"{prefix}:order-item-bulk-status-update", "patch", body="bulk"),
    ]

# Routes that hold no tenant data, and why.
NOT_TENANT_DATA = {
    "schema": "the OpenAPI document",
    "swagger-ui": "the API docs page",
    "redoc": "the API docs page",
    "i1:auth-login": "exchanges credentials for a token; no channel data",
    "v1:auth-login": "exchanges credentials for a token; no channel data",
    "v1-extra:order-statuses": "the status catalogue, the same for everyone",
    "v1-extra:active-user": "the caller's own user",
    "v1-extra:content-type-list": "the model names of the API, the same for everyone",
}

ROUTES = CHANNEL_ROUTES + FLAT_ROUTES


def route_id(route: Route) -> str:
    return f"{route.method.upper()} {route.name}"


def object_id(tenant: Tenant, kind: str, reason) -> int:
    if kind == "reason":
        return reason.pk
    if kind in ("country", "city", "township", "district"):
        return getattr(tenant.address, f"{kind}_id")
    if kind == "cargo":
        return CargoCompany.objects.order_by("pk").first().pk
    if kind == "product":
        return tenant.item.product_id
    if kind == "product_image":
        return ProductImage.objects.get_or_create(
            product_id=tenant.item.product_id, url="https://cdn.example.com/1.jpg"
        )[0].pk
    if kind == "retail_store":
        return RetailStore.objects.order_by("pk").first().pk
    return getattr(tenant, kind).pk


PATH_KEYS = {"numbered": ("number", lambda order: order.number)}


def url_for(route: Route, *, channel: Tenant | None, owner: Tenant, reason) -> str:
    """The route's URL with ``channel``'s id in the path and the id of ``owner``'s object."""
    kwargs = {"channel_id": channel.channel.pk} if route.name.startswith("channel:") else {}
    if route.obj is None:
        return reverse(route.name, kwargs=kwargs)
    if route.obj in PATH_KEYS:
        key, value = PATH_KEYS[route.obj]
        return reverse(route.name, kwargs={**kwargs, key: value(getattr(owner, route.obj))})
    pk = object_id(owner, route.obj, reason)
    try:
        return reverse(route.name, kwargs={**kwargs, "id": pk})
    except NoReverseMatch:
        return reverse(route.name, kwargs={**kwargs, "pk": pk})


def call(client, route: Route, url: str, body):
    if route.method == "get":
        return client.get(url, dict(route.query))
    return getattr(client, route.method)(url, body, format="json")


# --- Every route: B's channel, B's objects --------------------------------------------------------


OWN_CHANNEL_FOREIGN_OBJECT = [
    route
    for route in CHANNEL_ROUTES
    if route.obj in ("customer", "address", "price", "stock", "item", "order", "batch", "ia", "cancellation_request")
]
# (route, whose channel id goes in the path: B's, A's, or none on a flat route); ids are always B's.
REFUSALS = (
    [pytest.param(route, "theirs", id=f"channel B: {route_id(route)}") for route in CHANNEL_ROUTES]
    + [pytest.param(route, "mine", id=f"channel A, B's id: {route_id(route)}") for route in OWN_CHANNEL_FOREIGN_OBJECT]
    + [pytest.param(route, None, id=f"B's id: {route_id(route)}") for route in FLAT_ROUTES if route.obj is not None]
)


@pytest.mark.parametrize("route, path_channel", REFUSALS)
def test_a_member_of_a_gets_404_for_anything_of_channel_b(member_client, mine, theirs, reason, route, path_channel):
    before = database_state()
    channel = {"mine": mine, "theirs": theirs, None: None}[path_channel]

    response = call(
        member_client,
        route,
        url_for(route, channel=channel, owner=theirs, reason=reason),
        body_for(route, theirs, reason),
    )

    assert response.status_code == 404, response.content
    assert response.json() == NOT_FOUND
    assert database_state() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.obj is not None and r.method == "get"], ids=route_id)
def test_the_same_route_answers_for_the_members_own_object(member_client, mine, theirs, reason, route):
    """The control: the 404s above come from the tenancy, not from a broken URL."""
    response = call(member_client, route, url_for(route, channel=mine, owner=mine, reason=reason), None)

    assert response.status_code == 200, response.content


# --- Lists ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", [r for r in ROUTES if r.lists], ids=route_id)
def test_a_list_never_shows_channel_b_rows(member_client, mine, theirs, reason, route):
    url = url_for(route, channel=mine, owner=mine, reason=reason)

    response = member_client.get(url, dict(route.query))

    assert response.status_code == 200, response.content
    ids = [row.get("pk", row.get("id")) for row in response.json()["results"]]
    assert ids == [getattr(mine, route.lists).pk]
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    "name, kind",
    [
        ("channel:channel-order-item-list", "item"),
        ("i1:order-item-list", "item"),
        ("v1:order-item-list", "item"),
        ("i1:order-list", "order"),
        ("v1:order-list", "order"),
        ("channel:customer-list", "customer"),
        ("channel:address-list", "address"),
    ],
)
def test_a_list_filtered_by_ids_of_channel_b_finds_nothing(member_client, mine, theirs, name, kind):
    kwargs = {"channel_id": mine.channel.pk} if name.startswith("channel:") else {}

    response = member_client.get(reverse(name, kwargs=kwargs), {"pk__in": getattr(theirs, kind).pk})

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_i1_orders_filtered_by_channel_b_find_nothing(member_client, mine, theirs):
    response = member_client.get(reverse("i1:order-list"), {"channel": theirs.channel.pk})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_create_orders_refuses_channel_b_rows_in_the_body(member_client, mine, theirs):
    before = database_state()
    body = create_orders_body(theirs)

    response = member_client.post(
        reverse("channel:create-orders", kwargs={"channel_id": mine.channel.pk}), body, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["order"]) == {"customer", "shipping_address", "billing_address"}
    assert database_state() == before


def test_an_address_cannot_be_created_for_a_customer_of_channel_b(member_client, mine, theirs):
    before = database_state()
    body = address_body(theirs)

    response = member_client.post(
        reverse("channel:address-list", kwargs={"channel_id": mine.channel.pk}), body, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"customer": [f'Invalid pk "{theirs.customer.pk}" - object does not exist.']}
    assert database_state() == before


# --- Every id in a write body ---------------------------------------------------------------------
#
# A write names rows in its body as well as in its path. A foreign object in the path answers 404
# (above); an id in the body the caller may not read in that channel answers 400 naming the field,
# exactly as an id that does not exist, and writes nothing. Rows shared by every channel (products,
# cargo companies, payment options, geography, cancellation reasons) are readable only while
# active, so an inactive one stands for "not readable" there.


@dataclass
class Unreadable:
    """Shared rows no channel can read (inactive), and an id that exists nowhere."""

    cargo: int
    payment_option: int
    reason: int
    country: int
    city: int
    township: int
    district: int
    missing: int


@pytest.fixture
def unreadable(mine) -> Unreadable:
    a = mine.address
    country = CountryFactory(code="xx", name="Nowhere", is_active=False)
    return Unreadable(
        cargo=CargoCompanyFactory(is_active=False).pk,
        payment_option=PaymentOptionFactory(is_active=False).pk,
        reason=CancellationReasonFactory(is_active=False).pk,
        country=country.pk,
        city=CityFactory(country=a.country, is_active=False).pk,
        township=TownshipFactory(city=a.city, is_active=False).pk,
        district=DistrictFactory(city=a.city, township=None, is_active=False).pk,
        missing=10**9,
    )


def invalid_pk(pk) -> list[str]:
    return [f'Invalid pk "{pk}" - object does not exist.']


def immutable(value) -> list[str]:
    return [f"This field cannot be changed (stored value: {value})."]


@dataclass(frozen=True)
class BodyId:
    """One id-valued field of one write's body, set to a row the caller may not read.

    ``body(m, t, u)`` and ``expected(m, t, u)`` get the member's tenant, the other tenant and the
    ``Unreadable`` rows; ``obj`` is the (member's own) object in the path."""

    route: str
    method: str
    field: str
    body: object
    expected: object
    obj: str | None = None


def _order_with(**fields):
    def body(m, t, u):
        data = create_orders_body(m)
        data["order"].update({key: value(m, t, u) for key, value in fields.items()})
        return data

    return body


def _item_with(**fields):
    def body(m, t, u):
        data = create_orders_body(m)
        data["order_item"][0].update({key: value(m, t, u) for key, value in fields.items()})
        return data

    return body


CREATE_ORDERS_IDS = [
    ("order.channel", _order_with(channel=lambda m, t, u: t.channel.pk), lambda m, t, u: {
        "order": {"channel": [f"Must be the channel of the URL ({m.channel.pk}); got {t.channel.pk}."]}
    }),
    ("order.customer", _order_with(customer=lambda m, t, u: t.customer.pk), lambda m, t, u: {
        "order": {"customer": invalid_pk(t.customer.pk)}
    }),
    ("order.shipping_address", _order_with(shipping_address=lambda m, t, u: t.address.pk), lambda m, t, u: {
        "order": {"shipping_address": invalid_pk(t.address.pk)}
    }),
    ("order.billing_address", _order_with(billing_address=lambda m, t, u: t.address.pk), lambda m, t, u: {
        "order": {"billing_address": invalid_pk(t.address.pk)}
    }),
    ("order.cargo_company", _order_with(cargo_company=lambda m, t, u: u.cargo), lambda m, t, u: {
        "order": {"cargo_company": invalid_pk(u.cargo)}
    }),
    ("order.payment_option", _order_with(payment_option=lambda m, t, u: u.payment_option), lambda m, t, u: {
        "order": {"payment_option": invalid_pk(u.payment_option)}
    }),
    ("order_item.product", _item_with(product=lambda m, t, u: u.missing), lambda m, t, u: {
        "order_item": [{"product": invalid_pk(u.missing)}]
    }),
    ("order_item.price_list", _item_with(price_list=lambda m, t, u: t.channel.catalog.price_list_id), lambda m, t, u: {
        "order_item": [{"price_list": invalid_pk(t.channel.catalog.price_list_id)}]
    }),
    ("order_item.stock_list", _item_with(stock_list=lambda m, t, u: t.channel.catalog.stock_list_id), lambda m, t, u: {
        "order_item": [{"stock_list": invalid_pk(t.channel.catalog.stock_list_id)}]
    }),
    ("order_item.parent", _item_with(parent=lambda m, t, u: t.item.pk), lambda m, t, u: {
        "order_item": [{"parent": invalid_pk(t.item.pk)}]
    }),
]  # fmt: skip

# The item's references, as a PATCH body may send them back: they must equal the stored ones.
ITEM_REFERENCES = {
    "pk": (lambda t: t.item.pk, lambda m: m.item.pk),
    "order": (lambda t: t.order.pk, lambda m: m.order.pk),
    "product": (lambda t: t.item.product_id, lambda m: m.item.product_id),
    "price_list": (lambda t: t.channel.catalog.price_list_id, lambda m: m.item.price_list_id),
    "stock_list": (lambda t: t.channel.catalog.stock_list_id, lambda m: m.item.stock_list_id),
    "parent": (lambda t: t.item.pk, lambda m: m.item.parent_id),
}


def _item_patch_case(route: str, name: str) -> BodyId:
    theirs_value, stored = ITEM_REFERENCES[name]
    return BodyId(
        route,
        "patch",
        name,
        lambda m, t, u: {name: theirs_value(t)},
        lambda m, t, u: {name: immutable(stored(m))},
        obj="item",
    )


def _bulk_case(route: str, name: str) -> BodyId:
    theirs_value, stored = ITEM_REFERENCES[name]
    return BodyId(
        route,
        "patch",
        f"orderitem_set.{name}",
        lambda m, t, u: {"orderitem_set": [{"id": m.item.pk, name: theirs_value(t), "status": "450"}]},
        lambda m, t, u: {"orderitem_set": [{name: immutable(stored(m))}]},
    )


def _cancel_cases(route: str) -> list[BodyId]:
    def reasons(m, t, u):
        active = CancellationReason.objects.filter(is_active=True).first().pk
        return {str(m.item.pk): active, str(t.item.pk): active}

    return [
        BodyId(
            route,
            "post",
            "cancel_items",
            lambda m, t, u: {"cancel_items": [t.item.pk], "reasons": {str(t.item.pk): 1}},
            lambda m, t, u: {"cancel_items": [f"Items {t.item.pk} do not belong to order {SAME_NUMBER}."]},
            obj="order",
        ),
        BodyId(
            route,
            "post",
            "reasons (item id)",
            lambda m, t, u: {"cancel_items": [m.item.pk], "reasons": reasons(m, t, u)},
            lambda m, t, u: {"reasons": [f"Reasons were given for items that are not being cancelled: {t.item.pk}."]},
            obj="order",
        ),
        BodyId(
            route,
            "post",
            "reasons (reason id)",
            lambda m, t, u: {"cancel_items": [m.item.pk], "reasons": {str(m.item.pk): u.reason}},
            lambda m, t, u: {"reasons": [f"Unknown cancellation reasons: {u.reason}."]},
            obj="order",
        ),
    ]


def _channel_case(route: str, method: str, build, obj=None) -> BodyId:
    return BodyId(
        route,
        method,
        "channel",
        lambda m, t, u: {**build(m), "channel": t.channel.pk},
        lambda m, t, u: {"channel": [f"Must be the channel of the URL ({m.channel.pk}); got {t.channel.pk}."]},
        obj=obj,
    )


def _address_cases(method: str, obj=None) -> list[BodyId]:
    route = "channel:address-list" if obj is None else "channel:address-detail"
    build = address_body if method != "patch" else (lambda m: {"title": "Changed"})
    cases = [_channel_case(route, method, lambda m: build(m), obj)]
    cases.append(
        BodyId(
            route,
            method,
            "customer",
            lambda m, t, u: {**build(m), "customer": t.customer.pk},
            lambda m, t, u: {"customer": invalid_pk(t.customer.pk)},
            obj=obj,
        )
    )
    for name in ("country", "city", "township", "district"):
        cases.append(
            BodyId(
                route,
                method,
                name,
                lambda m, t, u, name=name: {**build(m), name: getattr(u, name)},
                lambda m, t, u, name=name: {name: invalid_pk(getattr(u, name))},
                obj=obj,
            )
        )
    return cases


def _cancellation_request_cases() -> list[BodyId]:
    def active_reason():
        return CancellationReason.objects.filter(is_active=True).first().pk

    cases = [
        BodyId(
            "channel:cancellation-request-list",
            "post",
            "order_item",
            lambda m, t, u: {"order_item": t.item.pk, "reason": active_reason()},
            lambda m, t, u: {"order_item": invalid_pk(t.item.pk)},
        ),
        BodyId(
            "channel:cancellation-request-list",
            "post",
            "reason",
            lambda m, t, u: {"order_item": m.item.pk, "reason": u.reason},
            lambda m, t, u: {"reason": invalid_pk(u.reason)},
        ),
    ]
    for method in ("put", "patch"):
        cases += [
            BodyId(
                "channel:cancellation-request-detail",
                method,
                "order_item",
                lambda m, t, u: {"order_item": t.item.pk},
                lambda m, t, u: {"order_item": immutable(m.item.pk)},
                obj="cancellation_request",
            ),
            BodyId(
                "channel:cancellation-request-detail",
                method,
                "reason",
                lambda m, t, u: {"reason": u.reason},
                lambda m, t, u: {"reason": invalid_pk(u.reason)},
                obj="cancellation_request",
            ),
        ]
    return cases


BODY_IDS: list[BodyId] = [
    *(BodyId("channel:create-orders", "post", name, body, expected) for name, body, expected in CREATE_ORDERS_IDS),
    _channel_case("channel:customer-list", "post", customer_body),
    _channel_case("channel:customer-detail", "put", customer_body, obj="customer"),
    _channel_case("channel:customer-detail", "patch", lambda m: {"first_name": "Changed"}, obj="customer"),
    *_address_cases("post"),
    *_address_cases("put", obj="address"),
    *_address_cases("patch", obj="address"),
    *(_item_patch_case("channel:channel-order-item-detail", name) for name in ITEM_REFERENCES),
    *_cancel_cases("channel:channel-order-cancel"),
    *_cancellation_request_cases(),
    BodyId(
        "channel:order-shipping-info-list",
        "post",
        "order",
        lambda m, t, u: {"order": t.order.pk, "shipping_company": "yurtici"},
        lambda m, t, u: {"order": invalid_pk(t.order.pk)},
    ),
    BodyId(
        "channel:order-shipping-info-list",
        "post",
        "shipping_company",
        lambda m, t, u: {"order": m.order.pk, "shipping_company": u.cargo},
        lambda m, t, u: {
            "shipping_company": [
                f"No active cargo company or shipping company matches '{u.cargo}'. {SHIPPING_COMPANY_HELP}"
            ]
        },
    ),
    BodyId(
        "channel:batch-request-list",
        "post",
        "channel",
        lambda m, t, u: {"channel": t.channel.pk},
        lambda m, t, u: {"channel": [f"Must be the channel of the URL ({m.channel.pk}); got {t.channel.pk}."]},
    ),
    BodyId(
        "channel:batch-request-detail",
        "patch",
        "objects.pk",
        lambda m, t, u: {"status": "commit", "content_type": "order", "objects": [{"pk": t.order.pk}]},
        lambda m, t, u: {"objects": {"0": {"pk": [f"No order {t.order.pk} in this channel."]}}},
        obj="batch",
    ),
    BodyId(
        "channel:integration-action-list",
        "post",
        "object_id",
        lambda m, t, u: {"content_type": "order", "object_id": t.numbered.pk, "remote_id": "X"},
        lambda m, t, u: {"object_id": [f"No order {t.numbered.pk} in this channel."]},
    ),
    BodyId(
        "channel:integration-action-detail",
        "patch",
        "object_id",
        lambda m, t, u: {"object_id": t.numbered.pk},
        lambda m, t, u: {"object_id": [f"No order {t.numbered.pk} in this channel."]},
        obj="ia",
    ),
]
for prefix in ("i1", "v1"):
    BODY_IDS += [
        *(_item_patch_case(f"{prefix}:order-item-detail", name) for name in ITEM_REFERENCES),
        BodyId(
            f"{prefix}:order-item-bulk-status-update",
            "patch",
            "orderitem_set.id",
            lambda m, t, u: {"orderitem_set": [{"id": m.item.pk, "status": "450"}, {"id": t.item.pk, "status": "450"}]},
            lambda m, t, u: {"orderitem_set": [{}, {"id": ["Not found."]}]},
        ),
        *(_bulk_case(f"{prefix}:order-item-bulk-status-update", name) for name in ITEM_REFERENCES if name != "pk"),
        *_cancel_cases(f"{prefix}:order-cancel"),
    ]

# Writes whose body holds no id of another row, and what it holds instead.
WRITES_WITHOUT_BODY_IDS = {
    ("i1:order-detail", "patch"): "only is_send",
    ("v1:order-detail", "patch"): "only is_send",
    ("i1:order-item-create-mapping", "post"): "the ERP's code and update_stock",
    ("v1:order-item-create-mapping", "post"): "the ERP's code and update_stock",
    ("v1-extra:channel-detail", "patch"): "schema and category_tree (an opaque id of the PIM, no row here)",
    ("channel:cancellation-request-reject", "post"): "nothing (an empty body)",
    ("channel:integration-action-detail", "delete"): "no body",
    ("channel:error-report-create", "post"): "log references (content type and object ids), stored, never resolved",
    **{
        (f"channel:error-report-{kind}", "post"): "a lookup miss's body, stored as sent, never resolved"
        for kind in ("country", "city", "township", "district", "distinct")
    },
}


def body_id_id(case: BodyId) -> str:
    return f"{case.method.upper()} {case.route} {case.field}"


@pytest.mark.parametrize("case", BODY_IDS, ids=body_id_id)
def test_an_id_the_member_may_not_read_in_a_write_body_is_400_and_writes_nothing(
    member_client, mine, theirs, reason, unreadable, case
):
    kwargs = {"channel_id": mine.channel.pk} if case.route.startswith("channel:") else {}
    if case.obj is not None:
        key = "pk" if case.obj in ("customer", "address") or not case.route.startswith("channel:") else "id"
        try:
            path = reverse(case.route, kwargs={**kwargs, key: getattr(mine, case.obj).pk})
        except NoReverseMatch:
            path = reverse(case.route, kwargs={**kwargs, "pk" if key == "id" else "id": getattr(mine, case.obj).pk})
    else:
        path = reverse(case.route, kwargs=kwargs)
    body = case.body(mine, theirs, unreadable)
    before = database_state()

    response = getattr(member_client, case.method)(path, body, format="json")

    assert response.status_code == 400, response.content
    assert response.json() == case.expected(mine, theirs, unreadable)
    assert database_state() == before


def test_every_write_has_its_body_ids_in_the_table():
    writes = {(route.name, route.method) for route in ROUTES if route.method != "get"}
    covered = {(case.route, case.method) for case in BODY_IDS} | set(WRITES_WITHOUT_BODY_IDS)

    assert sorted(writes - covered) == [], "add the write's id-valued body fields to BODY_IDS"
    assert sorted(covered - writes) == []


# --- The guard ------------------------------------------------------------------------------------


WRITE_AND_READ = {"get", "post", "put", "patch", "delete"}


def api_routes(patterns=None, prefix: str = "", namespace: str = ""):
    """(URL name, method) of every route under /api/, from the URL resolver."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from api_routes(pattern.url_patterns, route, inner)
        elif route.startswith("api/"):
            actions = getattr(pattern.callback, "actions", None)
            view_class = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
            methods = actions or {m for m in WRITE_AND_READ if hasattr(view_class, m)}
            for method in set(methods) & WRITE_AND_READ:
                yield f"{namespace}{pattern.name}", method


def test_every_api_route_is_in_the_isolation_table():
    table = {(route.name, route.method) for route in ROUTES}
    routes = {(name, method) for name, method in api_routes() if name not in NOT_TENANT_DATA}

    assert sorted(routes - table) == [], "add a row to the isolation table for each new route"
    assert sorted(table - routes) == [], "the table names routes that no longer exist"
