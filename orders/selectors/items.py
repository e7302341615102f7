"""Reads for the sales-channel order-item endpoints: the page query and its nested data.

List pages are built from ``values()`` rows plus one grouped query per nested kind (compiled once
per process), so the number of queries does not depend on the page size. The columns come from
the shapes in ``orders.shapes``.
"""

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from catalog.models import Product
from channels.models import IntegrationMapping
from omnitron.prepared import PreparedValues
from orders.models import Order, OrderItem
from orders.selectors import within_channels
from orders.selectors.related import images_by_product, price_lists_by_id, products_by_id, stock_lists_by_id
from orders.shapes import LIST_BRIEF, MAPPING_BRIEF, ORDER_BRIEF, PRICE_LIST_BRIEF, PRODUCT_BRIEF, ItemsRelated

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
    return within_channels(OrderItem.objects.filter(pk=item_id), channel_ids).first()


_ORDERS = PreparedValues(lambda ids: Order.objects.filter(pk__in=ids).values(*ORDER_BRIEF.columns), kinds=("in",))
_ORDER_NUMBERS = PreparedValues(lambda ids: Order.objects.filter(pk__in=ids).values("id", "number"), kinds=("in",))


def order_numbers_of(rows: list[dict[str, Any]]) -> dict[int, str]:
    """``{order id: number}`` for the orders of a page of item rows (one query, none for no rows)."""
    return {row["id"]: row["number"] for row in _ORDER_NUMBERS.rows({row["order_id"] for row in rows})}


def order_items_related(rows: list[dict[str, Any]], *, with_mappings: bool = False) -> ItemsRelated:
    """What a page of item rows refers to: orders, products, images, lists (and the item's and
    product's integration mappings): one query per kind, none for an empty page."""
    if not rows:
        return ItemsRelated(item_mappings={} if with_mappings else None, product_mappings={} if with_mappings else None)
    product_ids = {row["product_id"] for row in rows}
    related = ItemsRelated(
        orders={row["id"]: row for row in _ORDERS.rows({row["order_id"] for row in rows})},
        products=products_by_id(product_ids, columns=PRODUCT_BRIEF.columns),
        images=images_by_product(product_ids),
        price_lists=price_lists_by_id(
            {row["price_list_id"] for row in rows if row["price_list_id"]}, columns=PRICE_LIST_BRIEF.columns
        ),
        stock_lists=stock_lists_by_id(
            {row["stock_list_id"] for row in rows if row["stock_list_id"]}, columns=LIST_BRIEF.columns
        ),
    )
    if with_mappings:
        related.item_mappings = mappings_by_object(OrderItem, {row["id"] for row in rows})
        related.product_mappings = mappings_by_object(Product, set(related.products))
    return related


def mappings_by_object(model, object_ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    """Integration mapping rows (``object_id``, ``integration_type``, ``code``) of ``model`` objects,
    grouped by object id (one query)."""
    content_type = ContentType.objects.get_for_model(model)
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        IntegrationMapping.objects.filter(content_type=content_type, object_id__in=object_ids)
        .order_by("object_id", "integration_type")
        .values("object_id", *MAPPING_BRIEF.columns)
    )
    for row in rows:
        grouped[row["object_id"]].append(row)
    return dict(grouped)
