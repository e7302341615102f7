"""Reads for the catalog: products, prices, and stock with its available quantity."""

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from catalog.models import Product, ProductPrice, ProductStock, StockReservation


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
