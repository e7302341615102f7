"""The catalog rows that the item pages of both families refer to: products, images, lists.

Channel order items and OMS order items show the same products, images and price/stock lists in
different shapes; each lookup takes the columns of the caller's shape and is compiled once per
column set (``PreparedValues``), one query for any number of ids.
"""

from collections import defaultdict
from typing import Any

from catalog.models import PriceList, Product, ProductImage, StockList
from omnitron.prepared import PreparedValues

IMAGE_COLUMNS = ("id", "product_id", "url", "order")

_BY_ID: dict[tuple[type, tuple[str, ...]], PreparedValues] = {}
_IMAGES = PreparedValues(
    lambda ids: (
        ProductImage.objects.filter(product_id__in=ids).order_by("product_id", "order", "id").values(*IMAGE_COLUMNS)
    ),
    kinds=("in",),
)


def _rows_by_id(model, ids: set[int], columns: tuple[str, ...]) -> dict[int, dict[str, Any]]:
    query = _BY_ID.get((model, columns))
    if query is None:
        query = _BY_ID[model, columns] = PreparedValues(
            lambda ids: model.objects.filter(pk__in=ids).order_by().values(*columns), kinds=("in",)
        )
    return {row["id"]: row for row in query.rows(ids)}


def products_by_id(product_ids: set[int], *, columns: tuple[str, ...]) -> dict[int, dict[str, Any]]:
    return _rows_by_id(Product, product_ids, columns)


def images_by_product(product_ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    """The products' images by product id, each list by ``order`` then id (one query)."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for image in _IMAGES.rows(product_ids):
        grouped[image["product_id"]].append(image)
    return dict(grouped)


def price_lists_by_id(list_ids: set[int], *, columns: tuple[str, ...]) -> dict[int, dict[str, Any]]:
    return _rows_by_id(PriceList, list_ids, columns)


def stock_lists_by_id(list_ids: set[int], *, columns: tuple[str, ...]) -> dict[int, dict[str, Any]]:
    return _rows_by_id(StockList, list_ids, columns)
