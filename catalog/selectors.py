"""Reads for the catalog: products, prices, and stock with its available quantity."""

from typing import Literal

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from catalog.models import Catalog, PriceList, Product, ProductPrice, ProductStock, StockList, StockReservation
from channels.selectors import user_channel_ids


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


def catalog_list_for_user(*, user) -> QuerySet[Catalog]:
    """Catalogs used by a channel ``user`` may see (every catalog for staff)."""
    queryset = Catalog.objects.prefetch_related("extra_price_lists", "extra_stock_lists").order_by("id")
    ids = user_channel_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(pk__in=Catalog.objects.filter(channels__id__in=ids).values("pk"))


ListKind = Literal["price", "stock"]


def channel_list_ids(*, channel_id: int, kind: ListKind) -> QuerySet:
    """Ids of the price (``kind="price"``) or stock lists the channel uses, as a one-column queryset.

    The one definition of which lists belong to a channel (its catalog's default and extra lists):
    the price and stock lookups are scoped by it and create_orders accepts only these lists on an
    item (it embeds this query in its validation statement, so keep it a single ``values()`` query
    whose parameters include ``channel_id``).
    """
    return channel_lists(channel_id=channel_id, kind=kind).order_by().values("id")


def list_rows(*, kind: ListKind) -> QuerySet:
    """The prices (``kind="price"``) or the stocks, read as their selector reads them."""
    return product_price_list() if kind == "price" else product_stock_list()


def channel_lists(*, channel_id: int, kind: ListKind) -> QuerySet:
    """The price (``kind="price"``) or stock lists the channel uses."""
    lists = channel_price_list_list if kind == "price" else channel_stock_list_list
    return lists(channel_id=channel_id)


def channel_list_rows(*, channel_id: int, kind: ListKind) -> QuerySet:
    """The prices (``kind="price"``) or stocks of the lists the channel uses."""
    return list_rows(kind=kind).filter(**{f"{kind}_list_id__in": channel_list_ids(channel_id=channel_id, kind=kind)})


def channel_price_list_list(*, channel_id: int) -> QuerySet[PriceList]:
    """The price lists the channel uses: its catalog's default and extra price lists."""
    in_default = Catalog.objects.filter(channels__id=channel_id).values("price_list_id")
    in_extra = Catalog.extra_price_lists.through.objects.filter(catalog__channels__id=channel_id).values("pricelist_id")
    return PriceList.objects.filter(Q(pk__in=in_default) | Q(pk__in=in_extra)).order_by("id")


def channel_stock_list_list(*, channel_id: int) -> QuerySet[StockList]:
    """The stock lists the channel uses: its catalog's default and extra stock lists."""
    in_default = Catalog.objects.filter(channels__id=channel_id).values("stock_list_id")
    in_extra = Catalog.extra_stock_lists.through.objects.filter(catalog__channels__id=channel_id).values("stocklist_id")
    return StockList.objects.filter(Q(pk__in=in_default) | Q(pk__in=in_extra)).order_by("id")
