"""Reads for the channel feeds of catalog rows: which products, prices, stocks and images a
channel app is offered as "inserts" (never sent) or "updates" (changed since last sent).

A product is **in a channel's catalog** when it is active and priced in the catalog's default
price list; the product and image feeds offer only such products, and a product IA whose product
is gone or left the catalog is "deleted" (``deleted_product_integration_actions``). Price and
stock feeds offer the rows of one list (the catalog's default one, or one of its extra lists).

"updates" are rows whose integration action for this channel has changes it was not sent
(``pending_seq > synced_seq``) and is not processing in an open batch; "inserts" are rows with
no integration action for this channel, and for prices, stocks and images only rows whose
product the channel has already sent (its product IA is ``success``), because the channel app
fails the others as "Product has not been sent". Both come from
``integrations.selectors.feed_object_ids``, ordered by id, at most ``limit``.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet

from catalog.models import Catalog, Product, ProductImage, ProductPrice, ProductStock
from channels.models import Channel
from integrations.models import IntegrationAction, IntegrationStatus
from integrations.selectors import UpdatesFeed, feed_object_ids
from omnitron.prepared import PreparedValues

FeedMode = Literal["updates", "inserts", "inserts_or_updates"]
ListKind = Literal["price", "stock"]


@dataclass(frozen=True)
class ChannelCatalogLists:
    """The default lists of a channel's catalog (None when it has no catalog or no such list)."""

    price_list_id: int | None
    stock_list_id: int | None


# ``Channel.objects.filter(pk=...).values(...).first()``, compiled once.
_CATALOG_LISTS = PreparedValues(
    lambda channel_id: (
        Channel.objects.filter(pk=channel_id)
        .values("catalog__price_list_id", "catalog__stock_list_id")
        .order_by("pk")[:1]
    ),
    kinds=("value",),
)


def channel_catalog_lists(*, channel_id: int) -> ChannelCatalogLists:
    """The channel's catalog's default price and stock list ids (one statement)."""
    rows = _CATALOG_LISTS.values_list(channel_id)
    if not rows:
        return ChannelCatalogLists(price_list_id=None, stock_list_id=None)
    price_list_id, stock_list_id = rows[0]
    return ChannelCatalogLists(price_list_id=price_list_id, stock_list_id=stock_list_id)


def channel_extra_list_ids(*, channel_id: int, kind: ListKind) -> set[int]:
    """Ids of the extra price (``kind="price"``) or stock lists of the channel's catalog."""
    through = Catalog.extra_price_lists.through if kind == "price" else Catalog.extra_stock_lists.through
    column = "pricelist_id" if kind == "price" else "stocklist_id"
    return set(through.objects.filter(catalog__channels__id=channel_id).values_list(column, flat=True))


def catalog_product_list(*, price_list_id: int | None) -> QuerySet[Product]:
    """The products in a catalog whose default price list is ``price_list_id``: active and priced there."""
    if price_list_id is None:
        return Product.objects.none()
    priced = ProductPrice.objects.filter(price_list_id=price_list_id, product_id=OuterRef("pk"))
    return Product.objects.filter(Exists(priced), is_active=True)


def _sent_product_ids(*, channel_id: int) -> QuerySet:
    """Ids of the products the channel has sent (product IA ``success``), as a one-column queryset."""
    return IntegrationAction.objects.filter(
        channel_id=channel_id,
        content_type=ContentType.objects.get_for_model(Product),
        status=IntegrationStatus.SUCCESS,
    ).values("object_id")


def _feed(*, channel_id: int, model, mode: FeedMode, candidates: QuerySet, limit: int) -> list[int]:
    if mode != "inserts_or_updates":
        return list(feed_object_ids(channel_id=channel_id, model=model, mode=mode, candidates=candidates, limit=limit))
    both = {
        *feed_object_ids(channel_id=channel_id, model=model, mode="updates", candidates=candidates, limit=limit),
        *feed_object_ids(channel_id=channel_id, model=model, mode="inserts", candidates=candidates, limit=limit),
    }
    return sorted(both)[:limit]


def product_feed_ids(*, channel_id: int, mode: FeedMode, candidates: QuerySet[Product], limit: int) -> list[int]:
    """Ids of the catalog products among ``candidates`` (the caller's filters) the feed offers."""
    lists = channel_catalog_lists(channel_id=channel_id)
    in_catalog = candidates & catalog_product_list(price_list_id=lists.price_list_id)
    return _feed(channel_id=channel_id, model=Product, mode=mode, candidates=in_catalog, limit=limit)


def product_image_feed_ids(*, channel_id: int, mode: FeedMode, limit: int) -> list[int]:
    """Ids of the images of catalog products the feed offers."""
    lists = channel_catalog_lists(channel_id=channel_id)
    products = catalog_product_list(price_list_id=lists.price_list_id).values("pk")
    candidates = ProductImage.objects.filter(product_id__in=products)
    if mode == "inserts":
        candidates = candidates.filter(product_id__in=_sent_product_ids(channel_id=channel_id))
    return _feed(channel_id=channel_id, model=ProductImage, mode=mode, candidates=candidates, limit=limit)


_LIST_ROW_MODELS: dict[ListKind, type[ProductPrice] | type[ProductStock]] = {
    "price": ProductPrice,
    "stock": ProductStock,
}


def _list_row_candidates(kind: ListKind, list_ids: Collection[int]) -> QuerySet:
    return _LIST_ROW_MODELS[kind].objects.filter(**{f"{kind}_list_id__in": list_ids})


# The "updates" feeds of list rows, compiled once (the list ids are their argument).
_LIST_ROW_UPDATES: dict[ListKind, UpdatesFeed] = {
    "price": UpdatesFeed(lambda list_ids: _list_row_candidates("price", list_ids), kinds=("in",)),
    "stock": UpdatesFeed(lambda list_ids: _list_row_candidates("stock", list_ids), kinds=("in",)),
}


def list_row_feed_ids(
    *, channel_id: int, kind: ListKind, list_ids: Collection[int], mode: FeedMode, limit: int
) -> list[int]:
    """Ids of the price (``kind="price"``) or stock rows of the lists ``list_ids`` the feed offers."""
    list_ids = [pk for pk in list_ids if pk is not None]
    if not list_ids:
        return []
    model = _LIST_ROW_MODELS[kind]
    if mode == "updates":
        return _LIST_ROW_UPDATES[kind].object_ids(channel_id=channel_id, model=model, args=(list_ids,), limit=limit)
    candidates = _list_row_candidates(kind, list_ids)
    if mode == "inserts":
        candidates = candidates.filter(product_id__in=_sent_product_ids(channel_id=channel_id))
    return _feed(channel_id=channel_id, model=model, mode=mode, candidates=candidates, limit=limit)


def deleted_product_integration_actions(*, channel_id: int) -> QuerySet[IntegrationAction]:
    """The channel's product IAs whose product no longer exists or left its catalog, by id.

    The selection of ``integration_actions/deleted/?model=product``. One statement: the channel's
    product IAs (walked by id) anti-joined with the catalog's products (probed by pk and by the
    price list's unique (price_list, product) index).
    """
    lists = channel_catalog_lists(channel_id=channel_id)
    in_catalog = catalog_product_list(price_list_id=lists.price_list_id).filter(pk=OuterRef("object_id"))
    return IntegrationAction.objects.filter(
        ~Exists(in_catalog), channel_id=channel_id, content_type=ContentType.objects.get_for_model(Product)
    ).order_by("id")
