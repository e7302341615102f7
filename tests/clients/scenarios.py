"""Client scenarios, run by tests/clients in .venv-clients: Akinon's omnisdk and channel-app,
unchanged, against the live test server.

``python scenarios.py <name>`` reads its arguments from the ``SCENARIO_ARGS`` JSON and the
channel-app settings from the environment (``OMNITRON_URL``, ``OMNITRON_CHANNEL_ID``, ...), and
prints one JSON line with what the clients returned. Only the standard library and the clients'
own packages are imported: this file is the integrator's side.
"""

import json
import os
import sys
from datetime import datetime

import omnisdk.omnitron.endpoints
import omnisdk.omnitron.models

# channel-app 0.0.161 imports ChannelOperationalEventEndpoint and OperationalEvent from omnisdk,
# names no omnisdk release (0.0.103 is the newest) defines, so channel_app.omnitron.integration
# cannot be imported at all. Defining the two names here, before channel_app is imported, lets
# it import; nothing else in either package is touched.
if not hasattr(omnisdk.omnitron.models, "OperationalEvent"):

    class OperationalEvent(omnisdk.omnitron.models.BaseModel):
        pass

    omnisdk.omnitron.models.OperationalEvent = OperationalEvent

if not hasattr(omnisdk.omnitron.endpoints, "ChannelOperationalEventEndpoint"):

    class ChannelOperationalEventEndpoint(omnisdk.omnitron.endpoints.OmnitronApiEndpoint):
        def __init__(self, *args, **kwargs):
            super().__init__(
                *args,
                endpoint="channel/{channel_id}/operational_events",
                model=omnisdk.omnitron.models.OperationalEvent,
                **kwargs,
            )

    omnisdk.omnitron.endpoints.ChannelOperationalEventEndpoint = ChannelOperationalEventEndpoint

from omnisdk.omnitron.client import OmnitronApiClient
from omnisdk.omnitron.endpoints import (
    CatalogEndpoint,
    ChannelCancellationReasonEndpoint,
    ChannelCargoEndpoint,
    ChannelCityEndpoint,
    ChannelCountryEndpoint,
    ChannelCreateOrderEndpoint,
    ChannelEndpoint,
    ChannelOrderEndpoint,
    ChannelOrderItemEndpoint,
    ChannelPriceListEndpoint,
    ChannelProductEndpoint,
    ChannelProductPriceEndpoint,
    ChannelProductStockEndpoint,
    ChannelRetailStoreEndpoint,
    ChannelStockListEndpoint,
    ContentTypeEndpoint,
    OrderByNumberEndpoint,
    OrderItemEndpoint,
)
from omnisdk.omnitron.models import Order


class ChannelIntegration:
    """The channel side (``CHANNEL_MODULE``): these scenarios drive only commands that need no marketplace."""


def args() -> dict:
    return json.loads(os.environ.get("SCENARIO_ARGS") or "{}")


def channel_id() -> str:
    return os.environ["OMNITRON_CHANNEL_ID"]


# omnisdk's endpoints find the client through a weak reference: it must stay referenced.
_CLIENTS: list[OmnitronApiClient] = []


def sdk() -> OmnitronApiClient:
    """Plain omnisdk, logged in with the integration user (what omnisdk-only integrators do)."""
    api = OmnitronApiClient(
        base_url=os.environ["OMNITRON_URL"],
        username=os.environ["OMNITRON_USERNAME"],
        password=os.environ["OMNITRON_PASSWORD"],
    )
    _CLIENTS.append(api)
    return api


def every_page(endpoint, **params) -> list:
    """``list()`` then the iterator, as the channel-app commands read all pages."""
    rows = endpoint.list(params=params)
    for page in endpoint.iterator:
        if not page:
            break
        rows.extend(page)
    return rows


def fields(obj, *names) -> dict:
    return {name: getattr(obj, name) for name in names}


def http_error(exc) -> dict:
    """Status and body of a client HTTPError (omnisdk puts the decoded JSON in ``args[1]``)."""
    response = exc.response
    return {"status": response.status_code, "body": response.json() if response.content else None}


# --- omnisdk ----------------------------------------------------------------------------------------


def sdk_login_and_token() -> dict:
    from omnisdk.exceptions import ValidationError

    api = sdk()
    token = api.token
    # Constructed with token=, omnisdk checks the token with GET active_user/ first.
    again = OmnitronApiClient(base_url=os.environ["OMNITRON_URL"], username=None, password=None, token=token)
    try:
        OmnitronApiClient(base_url=os.environ["OMNITRON_URL"], username=None, password=None, token="Token nope")
        refused = None
    except ValidationError as exc:
        refused = exc.args[0]
    return {"token_prefix": token.split()[0], "validated": again.token == token, "refused": refused}


def sdk_channel() -> dict:
    sdk()
    channel = ChannelEndpoint().retrieve(id=channel_id())
    return fields(channel, "pk", "id", "name", "is_active", "conf", "catalog", "category_tree", "schema")


def sdk_channel_patch() -> dict:
    sdk()
    endpoint = ChannelEndpoint(raw=True)
    patched = endpoint.update(id=channel_id(), item={"category_tree": args()["category_tree"]})
    return {"category_tree": patched["category_tree"], "schema": patched["schema"]}


def sdk_catalog() -> dict:
    sdk()
    catalog = CatalogEndpoint().retrieve(id=os.environ["OMNITRON_CATALOG_ID"])
    return fields(catalog, "pk", "price_list", "stock_list", "extra_price_lists", "extra_stock_lists")


def sdk_content_types() -> dict:
    sdk()
    found = {}
    for model in args()["models"]:
        rows = ContentTypeEndpoint().list(params={"model": model})
        found[model] = [fields(row, "id", "app_label", "model") for row in rows]
    return {"found": found}


def sdk_orders() -> dict:
    sdk()
    order_pk, number = args()["order"], args()["number"]
    endpoint = ChannelOrderEndpoint(channel_id=channel_id())
    by_number = endpoint.list(params={"number": number, "channel_id": channel_id()})
    by_pks = ChannelOrderEndpoint(channel_id=channel_id()).list(params={"pk__in": str(order_pk), "limit": 1})
    one = ChannelOrderEndpoint(channel_id=channel_id()).retrieve(id=order_pk)
    missing = ChannelOrderEndpoint(channel_id=channel_id()).list(
        params={"number": "NO-SUCH-ORDER", "channel_id": channel_id()}
    )
    by_number_route = OrderByNumberEndpoint().retrieve(id=number)
    return {
        "by_number": [
            fields(row, "pk", "number", "modified_date", "cargo_company", "extra_field") for row in by_number
        ],
        "by_pks": [row.pk for row in by_pks],
        "one": fields(one, "pk", "number"),
        "missing": len(missing),
        "order_number_route": fields(by_number_route, "pk", "number", "status"),
    }


def sdk_order_items() -> dict:
    sdk()
    order_pk = args()["order"]
    rows = every_page(ChannelOrderItemEndpoint(channel_id=channel_id()), order=order_pk, sort="id")
    one = ChannelOrderItemEndpoint(channel_id=channel_id()).retrieve(id=rows[0].pk)
    flat = OrderItemEndpoint().list(params={"order": order_pk})
    return {
        "items": [{"pk": row.pk, "order": row.order, "remote_id": row.extra_field["id"]} for row in rows],
        "detail": fields(one, "pk", "order_number", "status", "invoice_number", "tracking_number", "extra_field"),
        "v1_items": sorted(row.pk for row in flat),
    }


def sdk_order_item_patch() -> dict:
    """The body UpdateOrderItems sends: truthy fields among order_number, status, invoice_*, tracking_number."""
    sdk()
    item = args()["item"]
    endpoint = ChannelOrderItemEndpoint(channel_id=channel_id(), raw=True)
    current = endpoint.retrieve(id=item)
    body = {
        "order_number": current["order_number"],
        "status": 550,
        "invoice_number": "INV-1",
        "invoice_date": "2025-06-01 10:00:00",
        "tracking_number": "TRK-1",
    }
    patched = ChannelOrderItemEndpoint(channel_id=channel_id(), raw=True).update(id=item, item=body)
    return fields_of(patched, "status", "invoice_number", "tracking_number", "order_number")


def fields_of(row: dict, *names) -> dict:
    return {name: row[name] for name in names}


def sdk_create_order() -> dict:
    """The body channel-app's CreateOrders builds (keys, types and defaults as its DTOs give them)."""
    sdk()
    given = args()
    placed = datetime(2025, 6, 1, 12, 30, 5)
    body = {
        "order_item": [
            {
                "product": given["product"],
                "status": "400",
                "price_currency": "try",
                "price": "100.00",
                "tax_rate": "20.00",
                "extra_field": {"id": f"LINE-{index}"},
                "price_list": given["price_list"],
                "stock_list": given["stock_list"],
                "tracking_number": None,
                "carrier_shipping_code": "",
                "discount_amount": 0.0,
                "retail_price": 0.0,
                "attributes": {},
                "attributes_kwargs": {},
                "parent": None,
                "delivered_date": None,
                "estimated_delivery_date": None,
            }
            for index in range(2)
        ],
        "order": {
            "number": given["number"],
            "status": "",
            "channel": channel_id(),
            "customer": given["customer"],
            "shipping_address": given["address"],
            "billing_address": given["address"],
            "currency": "try",
            "amount": "200.00",
            "shipping_amount": "0.00",
            "shipping_tax_rate": None,
            "extra_field": {"id": given["number"]},
            "delivery_type": None,
            "cargo_company": given["cargo"],
            "discount_amount": 0,
            "net_shipping_amount": "0.0",
            "tracking_number": None,
            "carrier_shipping_code": "",
            "remote_addr": None,
            "has_gift_box": False,
            "gift_box_note": "",
            "client_type": "default",
            "language_code": "",
            "notes": "",
            "delivery_range": None,
            "shipping_option_slug": "",
            "date_placed": str(placed),
        },
    }
    created = ChannelCreateOrderEndpoint(channel_id=channel_id()).create(item=Order(**body))
    items = every_page(ChannelOrderItemEndpoint(channel_id=channel_id()), order=created.pk, sort="id")
    return {
        "pk": created.pk,
        "extra_field": created.extra_field,
        "modified_date": created.modified_date,
        "items": [{"pk": row.pk, "remote_id": row.extra_field["id"]} for row in items],
    }


def sdk_cancel() -> dict:
    """The body CreateOrderCancel sends, through the same raw endpoint call."""
    sdk()
    given = args()
    body = {
        "cancel_items": given["items"],
        "order": given["order"],
        "reasons": {str(item): given["reason"] for item in given["items"]},
        "forced_refund_amount": None,
    }
    endpoint = ChannelOrderEndpoint(path=f"{given['order']}/cancel", channel_id=channel_id(), raw=True)
    response = endpoint.create(item=body)
    return {"response_keys": sorted(response)}


def sdk_channel_lists() -> dict:
    sdk()
    prices = ChannelPriceListEndpoint(channel_id=channel_id()).list()
    stocks = ChannelStockListEndpoint(channel_id=channel_id()).list()
    reasons = ChannelCancellationReasonEndpoint(channel_id=channel_id()).list()
    return {
        "price_lists": [row.pk for row in prices],
        "stock_lists": [row.pk for row in stocks],
        "cancellation_reasons": [row.pk for row in reasons],
    }


def sdk_catalog_reads() -> dict:
    """What GetProductObjects / GetProductPrices / GetProductStocks ask (CLIENTS.md 3.7)."""
    sdk()
    given = args()
    products = ",".join(str(pk) for pk in given["products"])
    return {
        "products": [
            row.pk for row in every_page(ChannelProductEndpoint(channel_id=channel_id()), pk__in=products, sort="id")
        ],
        "prices": [
            fields(row, "pk", "product")
            for row in every_page(
                ChannelProductPriceEndpoint(channel_id=channel_id()),
                product__pk__in=products,
                price_list=given["price_list"],
            )
        ],
        "stocks": [
            fields(row, "pk", "product", "stock")
            for row in every_page(
                ChannelProductStockEndpoint(channel_id=channel_id()),
                product__pk__in=products,
                stock_list=given["stock_list"],
            )
        ],
    }


def sdk_retail_store() -> dict:
    sdk()
    rows = ChannelRetailStoreEndpoint(channel_id=channel_id()).list(params={"erp_code": args()["erp_code"]})
    return {"stores": [fields(row, "pk", "erp_code") for row in rows]}


def sdk_geography() -> dict:
    """The exact lookups GetOrCreateAddress makes, through the endpoint classes."""
    sdk()
    given = args()
    countries = ChannelCountryEndpoint(channel_id=channel_id()).list(
        params={"code__exact": given["country"], "is_active": True}
    )
    cities = ChannelCityEndpoint(channel_id=channel_id()).list(
        params={"name__iexact": given["city"], "country": countries[0].pk if countries else 0, "is_active": True}
    )
    return {"countries": [row.pk for row in countries], "cities": [row.pk for row in cities]}


def sdk_cargos() -> dict:
    sdk()
    rows = every_page(ChannelCargoEndpoint(channel_id=channel_id()))
    one = ChannelCargoEndpoint(channel_id=channel_id()).retrieve(id=rows[0].pk)
    return {"cargos": [fields(row, "pk", "erp_code") for row in rows], "one": fields(one, "pk", "erp_code")}


# --- channel-app commands (no marketplace, no batch request) ------------------------------------------


def integration():
    """channel-app's OmnitronIntegration without a batch request (commands that need none)."""
    import redis

    # Each scenario starts without a cached token (the private Redis of the test run).
    redis.Redis(host=os.environ["CACHE_HOST"], port=int(os.environ["CACHE_PORT"]), db=0).flushdb()
    from channel_app.omnitron.integration import OmnitronIntegration

    return OmnitronIntegration(create_batch=False)


def app_enter() -> dict:
    with integration() as omnitron:
        catalog = omnitron.catalog
        return {
            "channel_is_active": omnitron.channel_is_active,
            "conf": omnitron.channel.conf,
            "catalog": fields(catalog, "price_list", "stock_list", "extra_price_lists", "extra_stock_lists"),
        }


def app_update_channel_conf_schema() -> dict:
    with integration() as omnitron:
        result = omnitron.do_action(key="update_channel_conf_schema", objects=args()["schema"])
        return {"schema": [row.schema for row in result]}


def app_customer() -> dict:
    from channel_app.core.data import CustomerDto

    given = args()
    with integration() as omnitron:
        results = []
        for entry in given["customers"]:
            rows = omnitron.do_action(key="get_or_create_customer", objects=CustomerDto(**entry))
            results.append([fields(row, "pk", "email", "first_name", "last_name") for row in rows])
        return {"results": results}


def app_address() -> dict:
    from channel_app.core.data import AddressDto

    given = args()
    with integration() as omnitron:
        customer = omnisdk.omnitron.models.Customer(pk=given["customer"], first_name="Ayşe", last_name="Yılmaz")
        results = []
        for entry in given["addresses"]:
            rows = omnitron.do_action(
                key="get_or_create_address", objects={"customer": customer, "address": AddressDto(**entry)}
            )
            results.append([fields(row, "pk", "country", "city", "township", "district") for row in rows])
        return {"results": results}


def app_cargo() -> dict:
    with integration() as omnitron:
        rows = omnitron.do_action(key="get_cargo_company", objects=args()["erp_code"])
        return {"cargos": [fields(row, "pk", "erp_code") for row in rows]}


def app_order_items_with_order() -> dict:
    with integration() as omnitron:
        orders = [Order(pk=pk) for pk in args()["orders"]]
        rows = omnitron.do_action(key="get_order_items_with_order", objects=orders)
        return {"orders": {str(order.pk): [item.pk for item in order.orderitem_set] for order in rows}}


# --- channel-app flows with the fake marketplace (CHANNEL_MODULE=marketplace) ---------------------------


def app_flow() -> dict:
    """Run one channel-app service task, e.g. ``OrderService().fetch_and_create_order()``, unchanged."""
    import redis

    given = args()
    redis.Redis(host=os.environ["CACHE_HOST"], port=int(os.environ["CACHE_PORT"]), db=0).flushdb()
    from channel_app.app.order.service import OrderService
    from channel_app.app.product_price.service import PriceService
    from channel_app.app.product_stock.service import StockService

    services = {"order": OrderService, "stock": StockService, "price": PriceService}
    task = getattr(services[given["service"]](), given["task"])
    task(**given.get("kwargs", {}))
    return {"task": given["task"], "finished": True}


if __name__ == "__main__":
    print(json.dumps(globals()[sys.argv[1]](), default=str))
