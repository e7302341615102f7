"""Reads for the OMS-shaped order items (``/api/v1/oms/order_items/``).

The list is a ``values()`` queryset of exactly the item columns the responses need; the nested
objects of a page come from ``oms_order_item_related``, one grouped query per kind (each compiled
once per process), so the number of queries per request does not depend on the page size.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from catalog.models import PriceList, Product, ProductImage, ProductPrice, ProductStock, StockList
from channels.selectors import scope_to_user_channels
from omnitron.prepared import PreparedValues
from orders.models import OrderItem

# Item columns read by both OMS shapes (detailed and list-simple).
OMS_ORDER_ITEM_COLUMNS: tuple[str, ...] = (
    "id",
    "order_id",
    "product_id",
    "parent_id",
    "status",
    "created_date",
    "modified_date",
    "price",
    "price_currency",
    "retail_price",
    "tax_rate",
    "tax_amount",
    "discount_amount",
    "installment_interest_amount",
    "attributes",
    "attributes_kwargs",
    "image",
    "price_list_id",
    "stock_list_id",
)

_PRODUCT_COLUMNS = (
    "id",
    "created_date",
    "modified_date",
    "name",
    "base_code",
    "sku",
    "barcode",
    "attributes",
    "attributes_kwargs",
    "extra_attributes",
)
_LIST_COLUMNS = ("id", "code", "name", "created_date", "is_auto_sync", "modified_date")


# Set up once (``values()`` is costly to build); every use clones it, none evaluates it.
_ITEM_ROWS = OrderItem.objects.order_by("id").values(*OMS_ORDER_ITEM_COLUMNS)


def oms_order_item_list(*, user) -> QuerySet:
    """The caller's order items as ``values()`` rows of ``OMS_ORDER_ITEM_COLUMNS``, by id.

    Scoped to the user's channels on the item's own ``channel_id`` (every channel for staff).
    """
    return scope_to_user_channels(_ITEM_ROWS.all(), user)


def oms_order_item_content_type_id() -> int:
    """The ContentType id of OrderItem (``state.content_type``); cached per process by Django."""
    return ContentType.objects.get_for_model(OrderItem).id


@dataclass
class OmsRelated:
    """The nested data of one page of items, keyed for lookup while building the dicts."""

    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    images: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    price_lists: dict[int, dict[str, Any]] = field(default_factory=dict)
    stock_lists: dict[int, dict[str, Any]] = field(default_factory=dict)
    price_extra: dict[tuple[int, int], Any] = field(default_factory=dict)
    stock_extra: dict[tuple[int, int], Any] = field(default_factory=dict)


def _list_query(model) -> PreparedValues:
    return PreparedValues(lambda ids: model.objects.filter(id__in=ids).order_by().values(*_LIST_COLUMNS), kinds=("in",))


def _extra_query(model, list_field: str) -> PreparedValues:
    return PreparedValues(
        lambda list_ids, product_ids: (
            model.objects.filter(**{f"{list_field}_id__in": list_ids})
            .filter(product_id__in=product_ids)
            .order_by()
            .values(f"{list_field}_id", "product_id", "extra_field")
        ),
        kinds=("in", "in"),
    )


_PRODUCTS = PreparedValues(
    lambda ids: Product.objects.filter(id__in=ids).order_by().values(*_PRODUCT_COLUMNS), kinds=("in",)
)
_IMAGES = PreparedValues(
    lambda ids: (
        ProductImage.objects.filter(product_id__in=ids)
        .order_by("product_id", "order", "id")
        .values("order", "id", "url", "product_id")
    ),
    kinds=("in",),
)
_PRICE_LISTS = _list_query(PriceList)
_STOCK_LISTS = _list_query(StockList)
_PRICE_EXTRA = _extra_query(ProductPrice, "price_list")
_STOCK_EXTRA = _extra_query(ProductStock, "stock_list")


def _by_id(query: PreparedValues, ids: set[int]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in query.rows(ids)}


def _extra_fields(query: PreparedValues, list_field: str, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """``extra_field`` of the price/stock rows for (list id, product id) pairs, in one query.

    Filters on both id sets and keeps only the asked pairs (pages rarely span many lists).
    """
    if not pairs:
        return {}
    rows = query.rows({list_id for list_id, _ in pairs}, {product_id for _, product_id in pairs})
    key = f"{list_field}_id"
    return {(row[key], row["product_id"]): row["extra_field"] for row in rows if (row[key], row["product_id"]) in pairs}


def oms_order_item_related(rows: Iterable[dict[str, Any]], *, with_products: bool) -> OmsRelated:
    """Fetch what a page of item rows refers to: one query per kind, none for an empty kind.

    ``with_products`` adds the products and their images (the detailed shape); list-simple
    needs only the price/stock lists and their ``extra_field`` values.
    """
    rows = list(rows)
    related = OmsRelated()
    price_pairs = {(row["price_list_id"], row["product_id"]) for row in rows if row["price_list_id"] is not None}
    stock_pairs = {(row["stock_list_id"], row["product_id"]) for row in rows if row["stock_list_id"] is not None}

    if with_products:
        product_ids = {row["product_id"] for row in rows}
        if product_ids:
            related.products = _by_id(_PRODUCTS, product_ids)
            images = defaultdict(list)
            for image in _IMAGES.rows(product_ids):
                images[image["product_id"]].append(image)
            related.images = dict(images)

    related.price_lists = _by_id(_PRICE_LISTS, {list_id for list_id, _ in price_pairs})
    related.stock_lists = _by_id(_STOCK_LISTS, {list_id for list_id, _ in stock_pairs})
    related.price_extra = _extra_fields(_PRICE_EXTRA, "price_list", price_pairs)
    related.stock_extra = _extra_fields(_STOCK_EXTRA, "stock_list", stock_pairs)
    return related
