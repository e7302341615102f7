"""channel-app 0.0.161, unchanged, end to end: its services' tasks run against the live server
with a fake marketplace (CLIENTS.md section 4).

Each test builds the shop in the test database, says what the fake marketplace
(``fake_marketplace.py``) hands out, runs channel-app tasks in ``.venv-clients`` with
``marketplace.py`` as the channel side, and asserts on the rows in the database and on what the
marketplace was sent.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from channels.models import Address, Customer
from integrations.models import BatchRequest, ErrorReport, IntegrationAction
from orders.models import CancellationPlanItem, CancellationRequest, Order, OrderItem
from orders.services.items import order_item_update
from tests.clients.addresses import AYSE_ADDRESS
from tests.factories import (
    CancellationReasonFactory,
    CargoCompanyFactory,
    CityFactory,
    CountryFactory,
    DistrictFactory,
    ProductFactory,
    ProductPriceFactory,
    ProductStockFactory,
    TownshipFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

APPS = ("channels", "catalog", "orders", "integrations")


def content_type(model: str) -> ContentType:
    return ContentType.objects.get(app_label__in=APPS, model=model)


def actions(channel, model: str) -> list[tuple]:
    """The channel's integration actions of one model: (object_id, remote_id, status, version_date)."""
    rows = IntegrationAction.objects.filter(channel=channel, content_type=content_type(model)).order_by("object_id")
    return [(row.object_id, row.remote_id, row.status, row.version_date) for row in rows]


def batches(channel) -> list[tuple]:
    """The channel's batch requests, oldest first: (status, content type model)."""
    rows = BatchRequest.objects.filter(channel=channel).select_related("content_type").order_by("id")
    return [(row.status, row.content_type.model if row.content_type else None) for row in rows]


def batch_objects(batch: BatchRequest) -> list[tuple]:
    return [(row["content_type"], row["pk"], row["remote_id"]) for row in batch.batch_objects or []]


def last_batch(channel) -> BatchRequest:
    return BatchRequest.objects.filter(channel=channel).order_by("-id").first()


# --- the shop ------------------------------------------------------------------------------------


def product_on_marketplace(channel, product_id: int, remote_id: str) -> None:
    """The product was sent to the marketplace, which knows it as ``remote_id``."""
    IntegrationAction.objects.create(
        channel=channel,
        content_type=content_type("product"),
        object_id=product_id,
        remote_id=remote_id,
        status="success",
    )


@pytest.fixture
def shop(integrator):
    """A channel selling one product the marketplace knows as ``TY-P-1``, with Türkiye's geography,
    a cargo company and two cancellation reasons (one mapped from the marketplace's code ``01``)."""
    channel = integrator.channel
    mapped_reason, fallback_reason = CancellationReasonFactory(), CancellationReasonFactory()
    channel.conf = {
        "send_shipping_info": False,
        # Two-character codes: OrderService.get_channel_reason unpacks each key into two values.
        "reason_mapping": {"01": mapped_reason.pk},
        "cancellation_reason_id": fallback_reason.pk,
    }
    channel.save(update_fields=["conf"])
    turkey = CountryFactory(code="tr", name="Türkiye")
    ankara = CityFactory(country=turkey, name="Ankara")
    cankaya = TownshipFactory(city=ankara, name="Çankaya")
    kizilay = DistrictFactory(township=cankaya, name="Kızılay")
    product = ProductFactory(sku="SKU-1")
    catalog = channel.catalog
    ProductPriceFactory(price_list=catalog.price_list, product=product, price=Decimal("100.00"))
    ProductStockFactory(stock_list=catalog.stock_list, product=product, stock=10)
    product_on_marketplace(channel, product.pk, "TY-P-1")
    return {
        "channel": channel,
        "product": product,
        "cargo": CargoCompanyFactory(erp_code="yurtici"),
        "geography": (turkey, ankara, cankaya, kizilay),
        "mapped_reason": mapped_reason,
        "fallback_reason": fallback_reason,
    }


def marketplace_order(number: str = "7001", lines: tuple[str, ...] = ("L-1", "L-2")) -> dict:
    """A new order as the marketplace lists it (the shape channel-app's GetOrders normalises)."""
    address = {
        **AYSE_ADDRESS,
        "postcode": "06420",
    }
    return {
        "order": {
            "remote_id": f"TY-{number}",
            "number": number,
            "channel": "marketplace",
            "status": "400",
            "currency": "try",
            "amount": f"{100 * len(lines)}.00",
            "shipping_amount": "0.00",
            "shipping_tax_rate": "20",
            "extra_field": {},
            "created_at": "2025-06-01 12:30:05",
            "customer": {
                "email": "ayse@example.com",
                "first_name": "Ayşe",
                "last_name": "Yılmaz",
                "channel_code": "TY-C-1",
                "phone_number": "05550000000",
            },
            "shipping_address": address,
            "billing_address": dict(address),
            "cargo_company": "yurtici",
        },
        "order_items": [
            {
                "remote_id": line,
                "product": "TY-P-1",
                "price_currency": "try",
                "price": "100.00",
                "tax_rate": "20",
                "extra_field": {},
                "status": "400",
            }
            for line in lines
        ],
    }


@pytest.fixture
def placed(shop, marketplace, run_flow):
    """Order 7001 (lines L-1, L-2) fetched from the marketplace by ``fetch_and_create_order``."""
    marketplace.orders = [marketplace_order()]
    run_flow("order", "fetch_and_create_order")
    marketplace.orders = []
    order = Order.objects.get(channel=shop["channel"], number="7001")
    return {**shop, "order": order, "items": list(OrderItem.objects.filter(order=order).order_by("pk"))}


# --- marketplace -> Omnitron: orders (4.1) ---------------------------------------------------------


def test_fetch_and_create_order_creates_the_order_and_its_integration_actions(shop, marketplace, run_flow):
    channel = shop["channel"]
    turkey, ankara, cankaya, kizilay = shop["geography"]
    marketplace.orders = [marketplace_order()]

    run_flow("order", "fetch_and_create_order")

    customer = Customer.objects.get(channel=channel)
    assert (customer.email, customer.first_name, customer.last_name, customer.channel_code) == (
        "ayse@example.com",
        "Ayşe",
        "Yılmaz",
        "TY-C-1",
    )
    # Shipping and billing are the same address: the second POST is answered with its hash_data.
    address = Address.objects.get(customer=customer)
    assert (address.country_id, address.city_id, address.township_id, address.district_id) == (
        turkey.pk,
        ankara.pk,
        cankaya.pk,
        kizilay.pk,
    )
    order = Order.objects.get(channel=channel)
    assert (order.number, order.customer_id, order.shipping_address_id, order.billing_address_id) == (
        "7001",
        customer.pk,
        address.pk,
        address.pk,
    )
    assert (order.cargo_company_id, order.extra_field, order.amount) == (
        shop["cargo"].pk,
        {"id": "TY-7001"},
        Decimal("200.00"),
    )
    assert order.date_placed == datetime(2025, 6, 1, 12, 30, 5, tzinfo=UTC)
    items = list(OrderItem.objects.filter(order=order).order_by("pk"))
    assert [(item.product_id, item.extra_field, item.status, item.price) for item in items] == [
        (shop["product"].pk, {"id": "L-1"}, "400", Decimal("100.00")),
        (shop["product"].pk, {"id": "L-2"}, "400", Decimal("100.00")),
    ]
    # The order and every item are linked to their marketplace ids, synced at their created version.
    assert actions(channel, "order") == [(order.pk, "TY-7001", "success", order.modified_date)]
    assert actions(channel, "orderitem") == [
        (items[0].pk, "L-1", "success", items[0].modified_date),
        (items[1].pk, "L-2", "success", items[1].modified_date),
    ]
    batch = last_batch(channel)
    assert batches(channel) == [("done", "order")]
    assert batch_objects(batch) == [
        ("order", order.pk, "TY-7001"),
        ("orderitem", items[0].pk, "L-1"),
        ("orderitem", items[1].pk, "L-2"),
    ]
    assert set(
        IntegrationAction.objects.filter(channel=channel)
        .exclude(content_type=content_type("product"))
        .values_list("local_batch_id", flat=True)
    ) == {batch.local_batch_id}
    # One success log: GetOrders' report for the order.
    assert list(ErrorReport.objects.filter(channel=channel).values_list("error_code", "is_ok", "action_object_id")) == [
        (f"{batch.local_batch_id}-Channel-GetOrders_7001", True, batch.pk)
    ]


def test_fetch_and_create_order_twice_keeps_one_order(placed, marketplace, run_flow):
    channel, order = placed["channel"], placed["order"]
    before = actions(channel, "order"), actions(channel, "orderitem")
    marketplace.orders = [marketplace_order()]

    run_flow("order", "fetch_and_create_order")

    assert list(Order.objects.filter(channel=channel).values_list("pk", flat=True)) == [order.pk]
    assert OrderItem.objects.filter(order=order).count() == 2
    assert (actions(channel, "order"), actions(channel, "orderitem")) == before
    assert batches(channel) == [("done", "order"), ("done", None)]


def test_an_order_with_an_unknown_product_is_not_created(shop, marketplace, run_flow):
    channel = shop["channel"]
    unknown = marketplace_order(number="7002")
    unknown["order_items"][0]["product"] = "TY-P-UNKNOWN"
    marketplace.orders = [unknown, marketplace_order(number="7003", lines=("L-9",))]

    run_flow("order", "fetch_and_create_order")

    order = Order.objects.get(channel=channel)
    assert order.number == "7003"
    item = OrderItem.objects.get(order=order)
    assert actions(channel, "order") == [(order.pk, "TY-7003", "success", order.modified_date)]
    assert actions(channel, "orderitem") == [(item.pk, "L-9", "success", item.modified_date)]
    # CreateOrders refuses the unknown product (an error report) and leaves the batch open for the
    # next order, which commits; the task ends with done.
    assert batches(channel) == [("done", "order")]
    failures = ErrorReport.objects.filter(channel=channel, is_ok=False)
    assert list(failures.values_list("error_desc", flat=True)) == ["Omnitron-CreateOrders"]


def test_an_order_whose_city_is_unknown_is_skipped_with_a_city_error_report(shop, marketplace, run_flow):
    channel = shop["channel"]
    turkey = shop["geography"][0]
    lost = marketplace_order(number="7004")
    lost["order"]["shipping_address"].update(city="Atlantis", township=None, district=None)
    marketplace.orders = [lost]

    run_flow("order", "fetch_and_create_order")

    assert not Order.objects.filter(channel=channel).exists()
    assert not Address.objects.filter(channel=channel).exists()
    # GetOrCreateAddress posts the miss to error_reports/city/ with the mapping code to create.
    code = f"{channel.pk}_Atlantis"
    assert list(ErrorReport.objects.filter(channel=channel, kind="city").values_list("body", flat=True)) == [
        {
            "type": "city",
            "remote_code": code,
            "country_id": turkey.pk,
            "integration_type": "sales_channel",
            "err_code": "integrations_200_10_2",
            "err_desc": f"Address is not valid. channel: {channel.pk} code:{code} model: City country id: {turkey.pk}",
        }
    ]
    assert actions(channel, "order") == []
    assert batches(channel) == [("done", None)]


# --- Omnitron -> marketplace: orders (4.2) ---------------------------------------------------------


def pushed_orders(marketplace) -> list[list[dict]]:
    return marketplace.pushed("/orders/updates/")


def test_update_orders_offers_a_changed_order_once_and_a_change_during_the_run_next_time(placed, marketplace, run_flow):
    channel, order, items = placed["channel"], placed["order"], placed["items"]

    # Nothing changed since the order came from the marketplace: nothing to send.
    run_flow("order", "update_orders", add_order_items=True)
    assert pushed_orders(marketplace) == []
    assert batches(channel)[1:] == [("done", "order")]

    order_item_update(item_id=items[0].pk, data={"status": "450"}, actor=None, channel_ids=None)
    order.refresh_from_db()
    offered_version = order.modified_date

    def operator_ships_the_second_line(path, body):
        # An Omnitron change while the channel app's batch is open (its objects are committed).
        if path == "/orders/updates/" and len(marketplace.pushed(path)) == 1:
            order_item_update(item_id=items[1].pk, data={"status": "450"}, actor=None, channel_ids=None)

    marketplace.on_push = operator_ships_the_second_line
    run_flow("order", "update_orders", add_order_items=True)

    sent = {"id": "TY-7001", "number": "7001", "status": order.status}
    assert pushed_orders(marketplace) == [
        [{**sent, "lines": [{"id": "L-1", "status": "450"}, {"id": "L-2", "status": "400"}]}]
    ]
    assert batches(channel)[2:] == [("done", "order")]
    # Synced at the version that was sent (the change during the run is newer), remote id kept.
    assert actions(channel, "order") == [(order.pk, "TY-7001", "success", offered_version)]
    order.refresh_from_db()
    assert order.modified_date > offered_version

    # The change made during the run is offered by the next run, once.
    marketplace.on_push = None
    run_flow("order", "update_orders", add_order_items=True)
    run_flow("order", "update_orders", add_order_items=True)

    order.refresh_from_db()
    assert pushed_orders(marketplace)[1:] == [
        [{**sent, "status": order.status, "lines": [{"id": "L-1", "status": "450"}, {"id": "L-2", "status": "450"}]}]
    ]
    assert actions(channel, "order") == [(order.pk, "TY-7001", "success", order.modified_date)]
    assert batches(channel)[3:] == [("done", "order"), ("done", "order")]


def test_update_orders_leaves_a_refused_order_in_error_until_it_changes(placed, marketplace, run_flow):
    channel, order, items = placed["channel"], placed["order"], placed["items"]
    order_item_update(item_id=items[0].pk, data={"status": "450"}, actor=None, channel_ids=None)
    order.refresh_from_db()
    marketplace.refusals = {"TY-7001": "order is locked"}

    run_flow("order", "update_orders")
    run_flow("order", "update_orders")

    # ProcessOrderBatchRequests commits the failure and leaves its batch in commit (CLIENTS.md 4.2).
    assert len(pushed_orders(marketplace)) == 1
    assert actions(channel, "order") == [(order.pk, "TY-7001", "error", order.modified_date)]
    assert batches(channel)[1:] == [("commit", "order"), ("done", "order")]


# --- marketplace -> Omnitron: item updates and cancellations (4.4, 4.5) ---------------------------


def test_fetch_and_update_order_items_applies_status_invoice_and_tracking_by_line_id(placed, marketplace, run_flow):
    channel, items = placed["channel"], placed["items"]
    marketplace.line_updates = [
        {
            "remote_id": "L-2",
            "order_remote_id": "TY-7001",
            "order_number": "7001",
            "status": "550",
            "invoice_number": "INV-9",
            "invoice_date": "2025-06-02T10:00:00Z",
            "tracking_number": "TRK-9",
        },
        {"remote_id": "L-UNKNOWN", "order_number": "7001", "status": "550"},
    ]

    run_flow("order", "fetch_and_update_order_items")

    rows = list(OrderItem.objects.filter(order=placed["order"]).order_by("pk"))
    assert [(row.status, row.invoice_number, row.invoice_date, row.tracking_number) for row in rows] == [
        ("400", None, None, None),
        ("550", "INV-9", datetime(2025, 6, 2, 10, 0, tzinfo=UTC), "TRK-9"),
    ]
    assert rows[0].modified_date == items[0].modified_date
    # Nothing is committed by this task: its batch goes from initialized straight to done.
    assert batches(channel)[1:] == [("done", None)]


def test_fetch_and_create_cancel_cancels_the_lines_the_marketplace_cancelled(placed, marketplace, run_flow):
    channel, order, items = placed["channel"], placed["order"], placed["items"]
    marketplace.cancels = [{"order": "TY-7001", "cancel_items": ["L-2"], "reasons": {"L-2": "01"}}]

    run_flow("order", "fetch_and_create_cancel")

    rows = list(OrderItem.objects.filter(order=order).order_by("pk"))
    assert [(row.pk, row.status) for row in rows] == [(items[0].pk, "400"), (items[1].pk, "100")]
    plan_items = CancellationPlanItem.objects.filter(order_item__order=order)
    assert list(plan_items.values_list("order_item", "reason")) == [(items[1].pk, placed["mapped_reason"].pk)]
    # The library never finalises this task's batch (CLIENTS.md 4.5).
    assert batches(channel)[1:] == [("initialized", None)]


# --- cancellation requests, both ways (4.6) --------------------------------------------------------


def fetch_one_cancellation_request(marketplace, run_flow, channel):
    """The marketplace offers one request (line L-1, reason 01, refund, CR-1); the flow fetches it."""
    marketplace.cancellation_requests = [
        {
            "order_item": "L-1",
            "reason": "01",
            "cancellation_type": "refund",
            "remote_id": "CR-1",
            "description": "Arrived broken",
        }
    ]
    run_flow("order", "fetch_and_create_cancellation_requests")
    return CancellationRequest.objects.get(channel=channel)


def test_fetch_and_create_cancellation_requests_links_each_request_to_its_marketplace_id(placed, marketplace, run_flow):
    channel, items = placed["channel"], placed["items"]

    request = fetch_one_cancellation_request(marketplace, run_flow, channel)

    assert (
        request.order_item_id,
        request.reason_id,
        request.cancellation_type,
        request.description,
        request.remote_id,
        request.status,
    ) == (items[0].pk, placed["mapped_reason"].pk, "refund", "Arrived broken", "CR-1", "waiting")
    assert actions(channel, "cancellationrequest") == [(request.pk, "CR-1", "success", request.modified_date)]
    assert batches(channel)[1:] == [("done", "cancellationrequest")]
    assert batch_objects(last_batch(channel)) == [("cancellationrequest", request.pk, "CR-1")]


def test_update_cancellation_requests_pushes_a_status_change_once(placed, marketplace, run_flow):
    from orders.services.cancellation_requests import cancellation_request_reject

    channel = placed["channel"]
    request = fetch_one_cancellation_request(marketplace, run_flow, channel)

    # Unchanged since it was created: nothing to push (an empty run ends in fail, CLIENTS.md 4.6).
    run_flow("order", "update_cancellation_requests")
    assert marketplace.pushed("/cancellation-requests/update/") == []

    cancellation_request_reject(channel_id=channel.pk, request_id=request.pk)
    request.refresh_from_db()
    run_flow("order", "update_cancellation_requests")
    run_flow("order", "update_cancellation_requests")

    # get_channel_reason cannot map the reason back (it unpacks the mapping's keys) and sends "10".
    assert marketplace.pushed("/cancellation-requests/update/") == [
        {
            "cancellation_type": "refund",
            "status": "rejected",
            "order_item": "L-1",
            "reason": "10",
            "description": "Arrived broken",
            "remote_id": "CR-1",
        }
    ]
    assert actions(channel, "cancellationrequest") == [(request.pk, "CR-1", "success", request.modified_date)]
    assert batches(channel)[2:] == [
        ("fail", "cancellationrequest"),
        ("done", "cancellationrequest"),
        ("fail", "cancellationrequest"),
    ]


# --- stocks and prices, inserts then updates (4.7, 2.9) --------------------------------------------


@pytest.fixture
def unsent_product(shop):
    """A second product with a stock and a price but no integration action (never sent)."""
    catalog = shop["channel"].catalog
    product = ProductFactory(sku="SKU-2")
    return {
        "stock": ProductStockFactory(stock_list=catalog.stock_list, product=product, stock=4),
        "price": ProductPriceFactory(price_list=catalog.price_list, product=product, price=Decimal("40.00")),
    }


FEEDS = {
    # model, service, insert task, update task, marketplace path, pushed value of the sent row
    "stock": ("productstock", "insert_product_stocks", "update_product_stocks", "/stocks/", "stock"),
    "price": ("productprice", "insert_product_prices", "update_product_prices", "/prices/", "price"),
}


def sent_value(kind: str, row):
    return row.stock if kind == "stock" else f"{row.price:.2f}"


@pytest.mark.parametrize("kind", ["stock", "price"])
def test_inserts_send_rows_of_sent_products_only_each_once(kind, shop, unsent_product, marketplace, run_flow):
    model, insert_task, _, path, field = FEEDS[kind]
    channel, product = shop["channel"], shop["product"]
    sent = (product.stocks if kind == "stock" else product.prices).get()
    waiting = unsent_product[kind]

    run_flow(kind, insert_task, add_product_objects=True)

    # Only the row of the product the marketplace knows goes, under the product's remote id.
    assert marketplace.pushed(path) == [[{"sku": "SKU-1", field: sent_value(kind, sent), "remote_id": "TY-P-1"}]]
    assert actions(channel, model) == [(sent.pk, "TY-P-1", "success", sent.modified_date)]

    # Once the other product has been sent, its row is inserted too; the first is not sent again.
    product_on_marketplace(channel, waiting.product_id, "TY-P-2")
    run_flow(kind, insert_task, add_product_objects=True)
    run_flow(kind, insert_task, add_product_objects=True)

    assert marketplace.pushed(path)[1:] == [[{"sku": "SKU-2", field: sent_value(kind, waiting), "remote_id": "TY-P-2"}]]
    assert actions(channel, model) == [
        (sent.pk, "TY-P-1", "success", sent.modified_date),
        (waiting.pk, "TY-P-2", "success", waiting.modified_date),
    ]
    assert batches(channel) == [("done", model)] * 3


@pytest.mark.parametrize("kind", ["stock", "price"])
def test_updates_send_a_changed_row_once_with_its_remote_id(kind, shop, marketplace, run_flow):
    from catalog.writes import catalog_row_update

    model, insert_task, update_task, path, field = FEEDS[kind]
    channel, product = shop["channel"], shop["product"]
    row = (product.stocks if kind == "stock" else product.prices).get()
    run_flow(kind, insert_task, add_product_objects=True)

    # Sent and unchanged since: nothing to update.
    run_flow(kind, update_task, add_product_objects=True)
    assert len(marketplace.pushed(path)) == 1

    catalog_row_update(row=row, fields={"stock": 3} if kind == "stock" else {"price": Decimal("89.90")})
    row.refresh_from_db()
    run_flow(kind, update_task, add_product_objects=True)
    run_flow(kind, update_task, add_product_objects=True)

    assert marketplace.pushed(path)[1:] == [[{"sku": "SKU-1", field: sent_value(kind, row), "remote_id": "TY-P-1"}]]
    assert actions(channel, model) == [(row.pk, "TY-P-1", "success", row.modified_date)]
    assert batches(channel) == [("done", model)] * 4
