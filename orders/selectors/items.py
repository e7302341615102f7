"""Reads for the sales-channel order-item endpoints: the page query and its nested data.

List pages are built from ``values()`` rows plus one grouped query per nested kind, so the
number of queries does not depend on the page size.
"""

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from catalog.models import PriceList, Product, ProductImage, StockList
from channels.models import IntegrationMapping
from orders.models import Order, OrderItem


def order_item_rows(*, channel_ids: list[int] | None, columns: tuple[str, ...]) -> QuerySet:
    """Items of ``channel_ids`` (None: every channel) as ``values(*columns)`` rows, oldest first."""
    queryset = OrderItem.objects.all()
    if channel_ids is not None:
        queryset = (
            queryset.filter(channel_id__in=channel_ids)
            if len(channel_ids) != 1
            else queryset.filter(channel_id=channel_ids[0])
        )
    return queryset.order_by("id").values(*columns)


def order_item_for_update(*, item_id: int, channel_ids: list[int] | None) -> OrderItem | None:
    """The item, or None when it does not exist or is outside ``channel_ids`` (None: any channel)."""
    queryset = OrderItem.objects.filter(pk=item_id)
    if channel_ids is not None:
        queryset = queryset.filter(channel_id__in=channel_ids)
    return queryset.first()


def orders_by_id(order_ids: set[int]) -> dict[int, dict[str, Any]]:
    rows = Order.objects.filter(pk__in=order_ids).values(
        "id", "number", "status", "date_placed", "currency", "amount", "customer_id"
    )
    return {row["id"]: row for row in rows}


def products_by_id(product_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Products with their images (``images``, ordered), two queries for any number of products."""
    rows = Product.objects.filter(pk__in=product_ids).values("id", "name", "sku", "base_code", "barcode", "attributes")
    products = {row["id"]: {**row, "images": []} for row in rows}
    images = ProductImage.objects.filter(product_id__in=product_ids).order_by("product_id", "order", "id")
    for image in images.values("id", "product_id", "url", "order"):
        products[image["product_id"]]["images"].append(image)
    return products


def lists_by_id(price_list_ids: set[int], stock_list_ids: set[int]) -> tuple[dict[int, dict], dict[int, dict]]:
    columns = ("id", "code", "name", "is_auto_sync", "created_date", "modified_date")
    price_lists = {
        row["id"]: row for row in PriceList.objects.filter(pk__in=price_list_ids).values(*columns, "currency")
    }
    stock_lists = {row["id"]: row for row in StockList.objects.filter(pk__in=stock_list_ids).values(*columns)}
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
