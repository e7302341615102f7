"""Reads for the OMS-shaped order items (``/api/v1/oms/order_items/``).

The list is a ``values()`` queryset of exactly the item columns the responses need; the nested
objects of a page come from ``oms_order_item_related``, one grouped query per kind (each compiled
once per process), so the number of queries per request does not depend on the page size.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from catalog.models import ProductPrice, ProductStock
from channels.selectors import scope_to_user_channels
from omnitron.prepared import PreparedValues
from orders.models import OrderItem
from orders.selectors.related import images_by_product, price_lists_by_id, products_by_id, stock_lists_by_id
from orders.shapes import OMS_LIST_REF, OMS_ORDER_ITEM, OMS_PRODUCT, OmsRelated

# Both OMS shapes read the same item columns.
OMS_ORDER_ITEM_COLUMNS: tuple[str, ...] = OMS_ORDER_ITEM.columns

# Set up once (``values()`` is costly to build); every use clones it, none evaluates it.
_ITEM_ROWS = OrderItem.objects.order_by("id").values(*OMS_ORDER_ITEM_COLUMNS)


def oms_order_item_list(*, user) -> QuerySet:
    """The caller's order items as ``values()`` rows of ``OMS_ORDER_ITEM_COLUMNS``, by id.

    Scoped to the user's channels on the item's own ``channel_id`` (every channel for staff).
    """
    return scope_to_user_channels(_ITEM_ROWS.all(), user)


def oms_order_item_rows(*, channel_ids: list[int]) -> QuerySet:
    """Order items of ``channel_ids`` as ``oms_order_item_list`` reads them for a member of those channels."""
    return _ITEM_ROWS.filter(channel_id__in=channel_ids)


def oms_order_item_content_type_id() -> int:
    """The ContentType id of OrderItem (``state.content_type``); cached per process by Django."""
    return ContentType.objects.get_for_model(OrderItem).id


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


_PRICE_EXTRA = _extra_query(ProductPrice, "price_list")
_STOCK_EXTRA = _extra_query(ProductStock, "stock_list")


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
            related.products = products_by_id(product_ids, columns=OMS_PRODUCT.columns)
            related.images = images_by_product(product_ids)

    related.price_lists = price_lists_by_id({list_id for list_id, _ in price_pairs}, columns=OMS_LIST_REF.columns)
    related.stock_lists = stock_lists_by_id({list_id for list_id, _ in stock_pairs}, columns=OMS_LIST_REF.columns)
    related.price_extra = _extra_fields(_PRICE_EXTRA, "price_list", price_pairs)
    related.stock_extra = _extra_fields(_STOCK_EXTRA, "stock_list", stock_pairs)
    return related
