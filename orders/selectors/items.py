"""Reads for the sales-channel order-item endpoints: the page query and its nested data.

List pages are built from ``values()`` rows plus one grouped query per nested kind (compiled once
per process), so the number of queries does not depend on the page size.
"""

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from catalog.models import PriceList, Product, ProductImage, StockList
from channels.models import IntegrationMapping
from omnitron.prepared import PreparedValues
from orders.models import Order, OrderItem

_ROWS_BY_COLUMNS: dict[tuple[str, ...], QuerySet] = {}


def order_item_rows(*, channel_ids: list[int] | None, columns: tuple[str, ...]) -> QuerySet:
    """Items of ``channel_ids`` (None: every channel) as ``values(*columns)`` rows, oldest first.

    The ``values()`` queryset is set up once per column tuple (costly over 40 columns); every use
    clones it, none evaluates it.
    """
    base = _ROWS_BY_COLUMNS.get(columns)
    if base is None:
        base = _ROWS_BY_COLUMNS[columns] = OrderItem.objects.order_by("id").values(*columns)
    if channel_ids is None:
        return base.all()
    if len(channel_ids) == 1:
        return base.filter(channel_id=channel_ids[0])
    return base.filter(channel_id__in=channel_ids)


def order_item_for_update(*, item_id: int, channel_ids: list[int] | None) -> OrderItem | None:
    """The item, or None when it does not exist or is outside ``channel_ids`` (None: any channel)."""
    queryset = OrderItem.objects.filter(pk=item_id)
    if channel_ids is not None:
        queryset = queryset.filter(channel_id__in=channel_ids)
    return queryset.first()


_LIST_COLUMNS = ("id", "code", "name", "is_auto_sync", "created_date", "modified_date")
_ORDERS = PreparedValues(
    lambda ids: Order.objects.filter(pk__in=ids).values(
        "id", "number", "status", "date_placed", "currency", "amount", "customer_id"
    ),
    kinds=("in",),
)
_PRODUCTS = PreparedValues(
    lambda ids: Product.objects.filter(pk__in=ids).values("id", "name", "sku", "base_code", "barcode", "attributes"),
    kinds=("in",),
)
_IMAGES = PreparedValues(
    lambda ids: (
        ProductImage.objects.filter(product_id__in=ids)
        .order_by("product_id", "order", "id")
        .values("id", "product_id", "url", "order")
    ),
    kinds=("in",),
)
_PRICE_LISTS = PreparedValues(
    lambda ids: PriceList.objects.filter(pk__in=ids).values(*_LIST_COLUMNS, "currency"), kinds=("in",)
)
_STOCK_LISTS = PreparedValues(lambda ids: StockList.objects.filter(pk__in=ids).values(*_LIST_COLUMNS), kinds=("in",))


def orders_by_id(order_ids: set[int]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in _ORDERS.rows(order_ids)}


def products_by_id(product_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Products with their images (``images``, ordered), two queries for any number of products."""
    products = {row["id"]: {**row, "images": []} for row in _PRODUCTS.rows(product_ids)}
    for image in _IMAGES.rows(product_ids):
        products[image["product_id"]]["images"].append(image)
    return products


def lists_by_id(price_list_ids: set[int], stock_list_ids: set[int]) -> tuple[dict[int, dict], dict[int, dict]]:
    price_lists = {row["id"]: row for row in _PRICE_LISTS.rows(price_list_ids)}
    stock_lists = {row["id"]: row for row in _STOCK_LISTS.rows(stock_list_ids)}
    return price_lists, stock_lists


def mappings_by_object(model, object_ids: set[int]) -> dict[int, list[dict[str, str]]]:
    """Integration mappings of ``model`` objects, grouped by object id (one query)."""
    content_type = ContentType.objects.get_for_model(model)
    grouped: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = (
        IntegrationMapping.objects.filter(content_type=content_type, object_id__in=object_ids)
        .order_by("object_id", "integration_type")
        .values_list("object_id", "integration_type", "code")
    )
    for object_id, integration_type, code in rows:
        grouped[object_id].append({"integration_type": integration_type, "code": code})
    return grouped
