"""Reads for the catalog: products, prices, and stock with its available quantity."""

from typing import Literal

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from catalog.models import Product, ProductPrice, ProductStock, StockReservation
from channels.models import Channel

ListKind = Literal["price", "stock"]
_LIST_COLUMNS: dict[str, str] = {"price": "price_list_id", "stock": "stock_list_id"}


def channel_list_ids(*, channel_id: int, kind: ListKind) -> QuerySet:
    """Ids of the price (``kind="price"``) or stock lists the channel uses, as a one-column queryset.

    The one definition of which lists belong to a channel: the price and stock lookups are scoped
    by it and create_orders accepts only these lists on an item (it embeds this query in its
    validation statement, so keep it a single ``values()`` query whose parameters include
    ``channel_id``). A channel uses its default price and stock list.
    """
    column = _LIST_COLUMNS[kind]
    return Channel.objects.filter(pk=channel_id, **{f"{column}__isnull": False}).values(column)


def active_reserved_subquery(stock_ref: str = "pk") -> Subquery:
    """Units held by active reservations of the ProductStock at ``OuterRef(stock_ref)``."""
    reserved = (
        StockReservation.objects.filter(stock_id=OuterRef(stock_ref), released_at__isnull=True)
        .order_by()
        .values("stock_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Subquery(reserved, output_field=IntegerField())


def product_stock_list() -> QuerySet[ProductStock]:
    """Stocks with ``reserved`` and ``available`` (= stock − active reservations) annotated."""
    return (
        ProductStock.objects.annotate(reserved=Coalesce(active_reserved_subquery(), Value(0)))
        .annotate(available=F("stock") - F("reserved"))
        .order_by("id")
    )


def product_list() -> QuerySet[Product]:
    return Product.objects.prefetch_related("productimage_set").order_by("id")


def product_price_list() -> QuerySet[ProductPrice]:
    return ProductPrice.objects.select_related("price_list").order_by("id")
