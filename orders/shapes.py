"""The response shapes of the fast order reads, each declared once (see ``omnitron.shapes``).

Each shape gives the columns its selector reads, the builder of its dicts and (through
``omnitron.shape_serializers``) its documented schema. The page builders at the end are pure: the
views fetch a page's related rows through the selectors (``orders.selectors``) and pass them in;
``bench/floor.py`` passes the rows of its own SQL to the same builders.

Shapes: channel order items (``ORDER_ITEM_FLAT``, ``ORDER_ITEM_DETAILED``,
``ORDER_ITEM_DETAILED_INTEGRATION``), i1 orders (``ORDER_I1`` with ``ORDER_ITEM_I1``), OMS order
items (``OMS_ORDER_ITEM``, ``OMS_ORDER_ITEM_SIMPLE``).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from catalog.models import Currency
from channels.conf import public_conf
from channels.models import ShippingCompany
from omnitron.shapes import (
    BOOLEAN,
    DATE,
    DATETIME,
    EMAIL,
    INTEGER,
    IP_ADDRESS,
    JSON,
    MONEY,
    RATE,
    URL,
    Field,
    Shape,
    blank_to_none,
    money_str,
    nested,
)
from orders.models import CancelStatus
from orders.statuses import STATUS_INFO, OrderStatus

STATUS_FIELD = "orders.serializers.fields.StatusField"

# --- Lookups shared by the item shapes ------------------------------------------------------------

LIST_BRIEF = Shape(
    "StockListBrief",
    [
        Field("pk", INTEGER, column="id"),
        Field("code", null=True),
        Field("name"),
        Field("is_auto_sync", BOOLEAN),
        Field("created_date", DATETIME),
        Field("modified_date", DATETIME),
    ],
)
PRICE_LIST_BRIEF = LIST_BRIEF.derive("PriceListBrief", add=[Field("currency")])
ORDER_BRIEF = Shape(
    "OrderBrief",
    [
        Field("pk", INTEGER, column="id"),
        Field("number"),
        Field("status", choices=OrderStatus.choices),
        Field("date_placed", DATETIME),
        Field("currency"),
        Field("amount", MONEY),
        Field("customer", INTEGER, column="customer_id"),
    ],
)
IMAGE_BRIEF = Shape(
    "ProductImageBrief",
    [Field("pk", INTEGER, column="id"), Field("url", URL), Field("order", INTEGER)],
)
MAPPING_BRIEF = Shape("IntegrationMappingBrief", [Field("integration_type"), Field("code")])
PRODUCT_BRIEF = Shape(
    "ProductBrief",
    [
        Field("pk", INTEGER, column="id"),
        Field("name"),
        Field("sku"),
        Field("base_code", null=True),
        Field("barcode", null=True),
        Field("attributes", JSON),
        nested("images", IMAGE_BRIEF, lookup="images", column="id", many=True),
    ],
)
PRODUCT_WITH_MAPPINGS = PRODUCT_BRIEF.derive(
    "ProductWithMappings",
    add=[nested("integration_mappings", MAPPING_BRIEF, lookup="product_mappings", column="id", many=True)],
)

# --- Channel order items --------------------------------------------------------------------------

ORDER_ITEM_FLAT = Shape(
    "OrderItem",
    [
        Field("pk", INTEGER, column="id"),
        Field("order", INTEGER, column="order_id"),
        # From the page's orders (``context.order_numbers``), not a join: a join in the page query
        # would stay in its COUNT(*) too, which then reads every order of the channel.
        Field(
            "order_number",
            column="order_id",
            lookup="order_numbers",
            instance="order.number",
            help="The number of the item's order.",
        ),
        Field("product", INTEGER, column="product_id"),
        Field("price_list", INTEGER, column="price_list_id", null=True),
        Field("stock_list", INTEGER, column="stock_list_id", null=True),
        Field("status", choices=OrderStatus.choices),
        Field("price_currency", choices=Currency.choices),
        Field("price", MONEY),
        Field("tax_rate", RATE),
        Field("shipping_company", choices=ShippingCompany.choices, null=True),
        Field("shipment_code", null=True),
        Field("cancel_status", choices=CancelStatus.choices, null=True),
        Field("is_tradable", BOOLEAN),
        Field("installment_interest_amount", MONEY, null=True),
        Field("datasource", INTEGER, null=True),
        Field("cancellation_reconciliation", INTEGER, null=True),
        Field("reconciliation", INTEGER, null=True),
        Field("forced_refund", BOOLEAN, null=True),
        Field("original_stock", INTEGER, null=True),
        Field("shipping_option_group", INTEGER, null=True),
        Field("extra_field", JSON),
        Field("created_date", DATETIME),
        Field("modified_date", DATETIME),
        Field("attributes", JSON),
        Field("attributes_kwargs", JSON),
        Field("localized_attributes", JSON),
        Field("localized_attributes_kwargs", JSON),
        Field("retail_price", MONEY, null=True),
        Field("discount_amount", MONEY),
        Field("tax_amount", MONEY, null=True),
        Field("tracking_number", null=True),
        Field("carrier_shipping_code", null=True),
        Field("invoice_number", null=True),
        Field("invoice_date", DATETIME, null=True),
        Field("e_archive_url", URL, null=True),
        Field("parent", INTEGER, column="parent_id", null=True),
        Field("estimated_delivery_date", DATE, null=True),
        Field("defined_tracking_url", URL, null=True),
        Field("defined_shipping_company", choices=ShippingCompany.choices, null=True),
        Field("image", null=True),
        Field("external_status", INTEGER, null=True),
    ],
    doc="Flat order item: related objects as ids (schema of the list and PATCH responses).",
)
ORDER_ITEM_DETAILED = ORDER_ITEM_FLAT.derive(
    "OrderItemDetailed",
    replace_fields=[
        nested("order", ORDER_BRIEF, lookup="orders", column="order_id"),
        nested("product", PRODUCT_BRIEF, lookup="products", column="product_id"),
        nested("price_list", PRICE_LIST_BRIEF, lookup="price_lists", column="price_list_id", null=True),
        nested("stock_list", LIST_BRIEF, lookup="stock_lists", column="stock_list_id", null=True),
    ],
    doc="Order item with its order, product (and images), price list and stock list expanded.",
)
ORDER_ITEM_DETAILED_INTEGRATION = ORDER_ITEM_DETAILED.derive(
    "OrderItemDetailedIntegration",
    replace_fields=[nested("product", PRODUCT_WITH_MAPPINGS, lookup="products", column="product_id")],
    add=[nested("integration_mappings", MAPPING_BRIEF, lookup="item_mappings", column="id", many=True)],
    doc="As detailed, plus the integration mappings of the item and of its product.",
)


@dataclass
class ItemsRelated:
    """The rows a page of channel order items refers to, keyed by id (from ``orders.selectors.items``)."""

    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    images: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    price_lists: dict[int, dict[str, Any]] = field(default_factory=dict)
    stock_lists: dict[int, dict[str, Any]] = field(default_factory=dict)
    item_mappings: dict[int, list[dict[str, Any]]] | None = None
    product_mappings: dict[int, list[dict[str, Any]]] | None = None


class _ItemsPage:
    """The related objects of one page, each built once (the item builders look them up by id)."""

    def __init__(self, related: ItemsRelated) -> None:
        with_mappings = related.item_mappings is not None
        self.item_mappings = _mappings(related.item_mappings) if with_mappings else {}
        self.product_mappings = _mappings(related.product_mappings) if with_mappings else {}
        self.images = {pk: [IMAGE_BRIEF.build(image) for image in images] for pk, images in related.images.items()}
        product = (PRODUCT_WITH_MAPPINGS if with_mappings else PRODUCT_BRIEF).build
        self.products = {pk: product(row, self) for pk, row in related.products.items()}
        self.orders = {pk: ORDER_BRIEF.build(row) for pk, row in related.orders.items()}
        self.order_numbers = {pk: row["number"] for pk, row in related.orders.items()}
        self.price_lists = {pk: PRICE_LIST_BRIEF.build(row) for pk, row in related.price_lists.items()}
        self.stock_lists = {pk: LIST_BRIEF.build(row) for pk, row in related.stock_lists.items()}


def _mappings(grouped: dict[int, list[dict[str, Any]]] | None) -> dict[int, list[dict[str, Any]]]:
    return {pk: [MAPPING_BRIEF.build(row) for row in rows] for pk, rows in (grouped or {}).items()}


@dataclass
class OrderNumbers:
    """The context of flat items: the number of each order the rows belong to, by order id."""

    order_numbers: dict[int, str]


def order_items_flat(rows: Iterable[dict[str, Any]], *, order_numbers: dict[int, str]) -> list[dict[str, Any]]:
    """Flat items for ``ORDER_ITEM_FLAT.columns`` rows; ``order_numbers`` holds every row's order."""
    build, context = ORDER_ITEM_FLAT.build, OrderNumbers(order_numbers)
    return [build(row, context) for row in rows]


def order_items_detailed(rows: list[dict[str, Any]], *, related: ItemsRelated) -> list[dict[str, Any]]:
    """Detailed items (with mappings when ``related`` has them) for ``ORDER_ITEM_DETAILED.columns`` rows."""
    page = _ItemsPage(related)
    build = (ORDER_ITEM_DETAILED if related.item_mappings is None else ORDER_ITEM_DETAILED_INTEGRATION).build
    return [build(row, page) for row in rows]


# --- Integration (i1) orders ----------------------------------------------------------------------

NAMED_REF = Shape("NamedRef", [Field("id", INTEGER), Field("name")])
COUNTRY_REF = Shape("CountryRef", [Field("name", column="country__name"), Field("code", column="country__code")])
_CITY = NAMED_REF.reading({"id": "city_id", "name": "city__name"})
_TOWNSHIP = NAMED_REF.reading({"id": "township_id", "name": "township__name"})
_DISTRICT = NAMED_REF.reading({"id": "district_id", "name": "district__name"})
ADDRESS_I1 = Shape(
    "AddressI1",
    [
        Field("email", EMAIL, null=True),
        Field("phone_number", null=True),
        Field("first_name"),
        Field("last_name"),
        nested("country", COUNTRY_REF),
        nested("city", _CITY),
        Field("line"),
        Field("title"),
        nested(
            "township",
            _TOWNSHIP,
            lambda row, _: _TOWNSHIP.build(row) if row["township_id"] else None,
            reads=_TOWNSHIP.columns,
            null=True,
        ),
        nested(
            "district",
            _DISTRICT,
            lambda row, _: _DISTRICT.build(row) if row["district_id"] else None,
            reads=_DISTRICT.columns,
            null=True,
        ),
        Field("postcode", null=True),
        Field("notes", null=True),
        Field("company_name", null=True),
        Field("tax_office", null=True),
        Field("tax_no", null=True),
        Field("e_bill_taxpayer", BOOLEAN),
        Field("identity_number", null=True),
        Field("extra_field", JSON),
    ],
)
# The addresses are read by id; ``id`` keys the page's lookup.
ADDRESS_I1_COLUMNS = ("id", *ADDRESS_I1.columns)
CUSTOMER_I1 = Shape(
    "CustomerI1",
    [
        Field("id", INTEGER),
        Field("email", EMAIL),
        Field("first_name"),
        Field("last_name"),
        Field("phone_number", null=True),
    ],
)
CHANNEL_I1 = Shape(
    "ChannelI1",
    [
        Field("name"),
        Field(
            "conf",
            JSON,
            format=public_conf,
            help="Channel settings; keys containing password/secret/token/key are never shown.",
        ),
    ],
)
CHANNEL_I1_COLUMNS = ("id", *CHANNEL_I1.columns)
ORDER_ITEM_I1 = Shape(
    "OrderItemI1",
    [
        Field("id", INTEGER),
        Field("order", INTEGER, column="order_id"),
        Field("product_sku", column="product__sku"),
        Field("status", schema=STATUS_FIELD),
        Field("price_currency"),
        Field("price", MONEY),
        Field("tax_rate", RATE),
        Field("extra_field", JSON),
        Field("price_list", INTEGER, column="price_list_id", null=True),
        Field("stock_list", INTEGER, column="stock_list_id", null=True),
        Field("cancel_status", choices=CancelStatus.choices, null=True),
        Field("invoice_number", null=True),
        Field("invoice_date", DATETIME, null=True),
        Field("e_archive_url", null=True),
        Field("installment_interest_amount", MONEY, null=True),
        Field("tracking_number", null=True),
        Field("carrier_shipping_code", null=True),
        Field("shipping_company", choices=ShippingCompany.choices, null=True),
        Field("shipment_code", null=True),
        Field("external_status", INTEGER, null=True),
        Field("discount_amount", MONEY),
        Field("retail_price", MONEY, null=True),
        Field("attributes", JSON),
        Field("attributes_kwargs", JSON),
        Field("image", null=True, format=blank_to_none),
    ],
)
ORDER_I1 = Shape(
    "OrderI1",
    [
        Field("id", INTEGER),
        Field("number"),
        Field("status", schema=STATUS_FIELD),
        Field("date_placed", DATETIME),
        nested("customer", CUSTOMER_I1, lookup="customers", column="customer_id"),
        nested("shipping_address", ADDRESS_I1, lookup="addresses", column="shipping_address_id"),
        nested("billing_address", ADDRESS_I1, lookup="addresses", column="billing_address_id"),
        Field("currency"),
        Field("amount", MONEY),
        Field("shipping_amount", MONEY),
        Field("shipping_tax_rate", RATE, null=True),
        Field("extra_field", JSON),
        Field("payment_option", INTEGER, column="payment_option_id", null=True),
        Field("payment_option_slug", null=True),
        Field("bin_number", null=True),
        Field("installment", INTEGER, null=True),
        Field("installment_count", INTEGER),
        Field("installment_interest_amount", MONEY),
        Field("cargo_company", INTEGER, column="cargo_company_id", null=True),
        Field("invoice_number", null=True),
        Field("invoice_date", DATETIME, null=True),
        Field("e_archive_url", null=True),
        Field("refund_amount", MONEY),
        Field("discount_refund_amount", MONEY),
        Field("shipping_refund_amount", MONEY),
        Field("discount_amount", MONEY),
        Field("is_send", BOOLEAN),
        Field(
            "net_shipping_amount",
            MONEY,
            value=lambda row, _: money_str(row["shipping_amount"] + row["shipping_interest_amount"]),
            reads=("shipping_amount", "shipping_interest_amount"),
            help="shipping_amount + shipping_interest_amount",
        ),
        Field("shipping_interest_amount", MONEY),
        Field("tracking_number", null=True),
        Field("carrier_shipping_code", null=True),
        Field("remote_addr", IP_ADDRESS, null=True),
        Field("has_gift_box", BOOLEAN),
        Field("gift_box_note", null=True),
        Field("external_status", INTEGER, null=True),
        nested("orderitem_set", ORDER_ITEM_I1, lookup="items", column="id", many=True),
        nested("channel", CHANNEL_I1, lookup="channels", column="channel_id"),
    ],
    doc="An order as the integration (ERP) endpoints show it (seed 002).",
)


@dataclass
class OrdersI1Related:
    """The rows a page of i1 orders refers to (from ``orders.selectors.i1``)."""

    customers: dict[int, dict[str, Any]] = field(default_factory=dict)
    addresses: dict[int, dict[str, Any]] = field(default_factory=dict)
    items: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    channels: dict[int, dict[str, Any]] = field(default_factory=dict)


class _OrdersI1Page:
    def __init__(self, related: OrdersI1Related) -> None:
        item = ORDER_ITEM_I1.build
        self.customers = {pk: CUSTOMER_I1.build(row) for pk, row in related.customers.items()}
        self.addresses = {pk: ADDRESS_I1.build(row) for pk, row in related.addresses.items()}
        self.items = {pk: [item(row) for row in rows] for pk, rows in related.items.items()}
        self.channels = {pk: CHANNEL_I1.build(row) for pk, row in related.channels.items()}


def orders_i1(rows: list[dict[str, Any]], *, related: OrdersI1Related) -> list[dict[str, Any]]:
    """i1 order dicts for ``ORDER_I1.columns`` rows."""
    page = _OrdersI1Page(related)
    build = ORDER_I1.build
    return [build(row, page) for row in rows]


# --- OMS order items ------------------------------------------------------------------------------

STATE_ENUM_CLASS = "OrderStatus"
# The status table lives in code, not in rows: its timestamps are this fixed instant.
STATE_TABLE_DATE = datetime(2021, 1, 1, tzinfo=UTC)
STATE_ID_HELP = (
    "The status's numeric code as an integer (450 for Preparing): stable, and the same number as "
    "`enum_value`. list-simple's `state` carries the same id."
)
STATE_DATE_HELP = "Always 2021-01-01T00:00:00Z: statuses are a fixed table in the service, not stored rows."

OMS_STATE = Shape(
    "OmsState",
    [
        Field("id", INTEGER, value=lambda row, _: int(row["code"]), reads=("code",), help=STATE_ID_HELP),
        Field("created_date", DATETIME, value=lambda row, _: STATE_TABLE_DATE, help=STATE_DATE_HELP),
        Field("modified_date", DATETIME, value=lambda row, _: STATE_TABLE_DATE, help=STATE_DATE_HELP),
        Field(
            "translations",
            JSON,
            value=lambda row, _: {"en-us": {"name": row["en"]}, "tr-tr": {"name": row["tr"]}},
            reads=("en", "tr"),
            schema="orders.serializers.statuses.StatusTranslationsSerializer",
            help="Display names by language (`en-us`, `tr-tr`).",
        ),
        Field("name", column="en", help='English display name, e.g. "Preparing".'),
        Field("config", JSON, value=lambda row, _: {}, help="Always `{}`."),
        Field("enum_class", value=lambda row, _: STATE_ENUM_CLASS, help='Always "OrderStatus".'),
        Field("enum_value", column="code", help='The status code as a string, e.g. "450".'),
        Field("content_type", INTEGER, help="ContentType id of the order item model."),
    ],
    doc="An order-item status as an OMS state object, built from the status table.",
)


def oms_state(code: str, *, content_type_id: int) -> dict[str, Any]:
    """The ``state`` object of a status code, from the status table."""
    info = STATUS_INFO.get(code)
    en, tr = (info.en, info.tr) if info else (code, code)
    return OMS_STATE.build({"code": code, "en": en, "tr": tr, "content_type": content_type_id})


OMS_IMAGE = Shape(
    "OmsProductImage",
    [
        Field("order", INTEGER),
        Field("id", INTEGER),
        Field("url", URL),
        Field("product", INTEGER, column="product_id", help="The product's id."),
    ],
)
OMS_PRODUCT = Shape(
    "OmsProduct",
    [
        Field("id", INTEGER),
        nested(
            "productimage_set",
            OMS_IMAGE,
            lookup="images",
            column="id",
            many=True,
            help="Images by `order`, then id.",
        ),
        Field("created_date", DATETIME),
        Field("modified_date", DATETIME),
        Field("omnitron_id", INTEGER, column="id", help="The product's id in this service."),
        Field("name"),
        Field("base_code", null=True),
        Field("sku"),
        Field("barcode", null=True),
        Field("attributes", JSON),
        Field("attributes_kwargs", JSON),
        Field("extra_attributes", JSON),
        Field("remote_modified_date", DATETIME, column="modified_date", help="When the product last changed here."),
    ],
)
OMS_LIST_REF = Shape(
    "OmsListRef",
    [
        Field("pk", INTEGER, column="id"),
        Field("code", null=True),
        Field("name"),
        Field("created_date", DATETIME),
        Field("is_auto_sync", BOOLEAN),
        Field("modified_date", DATETIME),
    ],
    doc="A price list or stock list.",
)
OMS_EXTRA_FIELD = Shape(
    "OmsExtraField",
    [
        Field(
            "price_extra_field",
            JSON,
            value=lambda row, page: page.price_extra.get((row["price_list_id"], row["product_id"])) or {},
            help="`extra_field` of the product's price in the item's price list (`{}` when none).",
        ),
        Field(
            "stock_extra_field",
            JSON,
            value=lambda row, page: page.stock_extra.get((row["stock_list_id"], row["product_id"])) or {},
            help="`extra_field` of the product's stock in the item's stock list (`{}` when none).",
        ),
    ],
)
_OMS_COMMON = [
    Field("created_date", DATETIME),
    Field("modified_date", DATETIME),
    Field("omnitron_id", INTEGER, column="id", help="The item's id in this service (same as `id`)."),
    Field(
        "net_amount",
        MONEY,
        value=lambda row, _: money_str(row["price"] - row["discount_amount"]),
        reads=("price", "discount_amount"),
        help="`price` − `discount_amount`.",
    ),
    Field("price", MONEY),
    Field("price_currency"),
    Field("retail_price", MONEY, null=True),
    Field("tax_rate", RATE),
    Field("tax_amount", MONEY, null=True),
    Field("discount_amount", MONEY),
    Field(
        "without_net_amount",
        MONEY,
        null=True,
        value=lambda row, _: (
            None if row["tax_amount"] is None else money_str(row["price"] - row["discount_amount"] - row["tax_amount"])
        ),
        reads=("price", "discount_amount", "tax_amount"),
        help="`net_amount` − `tax_amount`; null while `tax_amount` is unknown.",
    ),
    Field("installment_interest_amount", MONEY, null=True),
    Field("attributes", JSON),
    Field("attributes_kwargs", JSON),
    Field("image", null=True, format=blank_to_none, help="The item's image URL, or null."),
    nested("price_list", OMS_LIST_REF, lookup="price_lists", column="price_list_id", null=True),
    nested("stock_list", OMS_LIST_REF, lookup="stock_lists", column="stock_list_id", null=True),
    nested(
        "extra_field", OMS_EXTRA_FIELD, OMS_EXTRA_FIELD.build, reads=("price_list_id", "stock_list_id", "product_id")
    ),
    Field("parent_omnitron_id", INTEGER, column="parent_id", null=True, help="The bundle parent item's id."),
]
_ORDER_ID = Field("order", INTEGER, column="order_id", help="The order's id.")
OMS_ORDER_ITEM = Shape(
    "OmsOrderItem",
    [
        Field("id", INTEGER),
        nested("state", OMS_STATE, lambda row, page: page.state(row["status"]), reads=("status",)),
        nested("product", OMS_PRODUCT, lookup="products", column="product_id"),
        *_OMS_COMMON,
        _ORDER_ID,
    ],
    doc="An order item with its state and product objects (list and detail).",
)
OMS_ORDER_ITEM_SIMPLE = Shape(
    "OmsOrderItemSimple",
    [
        Field("id", INTEGER),
        *_OMS_COMMON,
        Field("state", INTEGER, value=lambda row, _: int(row["status"]), reads=("status",), help=STATE_ID_HELP),
        _ORDER_ID,
        Field("product", INTEGER, column="product_id", help="The product's id."),
    ],
    doc="An order item with ``state``, ``order`` and ``product`` as ids.",
)


@dataclass
class OmsRelated:
    """The rows a page of OMS items refers to (from ``orders.selectors.oms``), keyed for lookup."""

    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    images: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    price_lists: dict[int, dict[str, Any]] = field(default_factory=dict)
    stock_lists: dict[int, dict[str, Any]] = field(default_factory=dict)
    price_extra: dict[tuple[int, int], Any] = field(default_factory=dict)
    stock_extra: dict[tuple[int, int], Any] = field(default_factory=dict)


class _OmsPage:
    def __init__(self, related: OmsRelated, content_type_id: int | None) -> None:
        self.content_type_id = content_type_id
        self.price_extra = related.price_extra
        self.stock_extra = related.stock_extra
        self.price_lists = {pk: OMS_LIST_REF.build(row) for pk, row in related.price_lists.items()}
        self.stock_lists = {pk: OMS_LIST_REF.build(row) for pk, row in related.stock_lists.items()}
        self.images = {pk: [OMS_IMAGE.build(image) for image in images] for pk, images in related.images.items()}
        self.products = {pk: OMS_PRODUCT.build(row, self) for pk, row in related.products.items()}
        self.states: dict[str, dict[str, Any]] = {}

    def state(self, code: str) -> dict[str, Any]:
        state = self.states.get(code)
        if state is None:
            state = self.states[code] = oms_state(code, content_type_id=self.content_type_id)
        return state


def oms_order_items_detailed(
    rows: list[dict[str, Any]], *, related: OmsRelated, content_type_id: int
) -> list[dict[str, Any]]:
    """Detailed OMS items (``state`` and ``product`` objects) for ``OMS_ORDER_ITEM.columns`` rows."""
    page = _OmsPage(related, content_type_id)
    build = OMS_ORDER_ITEM.build
    return [build(row, page) for row in rows]


def oms_order_items_simple(rows: list[dict[str, Any]], *, related: OmsRelated) -> list[dict[str, Any]]:
    """list-simple OMS items (``state``, ``order`` and ``product`` as ids)."""
    page = _OmsPage(related, None)
    build = OMS_ORDER_ITEM_SIMPLE.build
    return [build(row, page) for row in rows]
