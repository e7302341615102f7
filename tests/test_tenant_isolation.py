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
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from catalog.models import Catalog, PriceList, ProductPrice, ProductStock, StockList
from channels.models import Address, CargoCompany, Channel, Customer, IntegrationMapping, IntegrationType, RetailStore
from orders.models import CancellationReason, Order, OrderItem
from tests.database_state import database_state
from tests.factories import (
    AddressFactory,
    CancellationReasonFactory,
    CargoCompanyFactory,
    CustomerFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    ProductStockFactory,
    RetailStoreFactory,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
SAME_NUMBER = "SAME-NUMBER"
SAME_EMAIL = "same@example.com"


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
    route for route in CHANNEL_ROUTES if route.obj in ("customer", "address", "price", "stock", "item", "order")
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
