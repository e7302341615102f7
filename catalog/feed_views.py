"""Under a channel: product images, the extra-list price and stock lookups, and the
"inserts"/"updates" feeds of products, images, prices and stocks a channel app pushes to its
marketplace (selection rules in ``catalog.feeds``)."""

import builtins
from abc import ABC, abstractmethod
from collections.abc import Collection
from typing import ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound

from catalog.feeds import (
    FeedMode,
    ListKind,
    channel_catalog_lists,
    channel_extra_list_ids,
    list_row_feed_ids,
    product_feed_ids,
    product_image_feed_ids,
)
from catalog.filters import (
    ExtraPriceFeedFilter,
    ExtraStockFeedFilter,
    ProductFeedFilter,
    ProductImageFilter,
)
from catalog.models import Product, ProductImage, ProductPrice, ProductStock
from catalog.selectors import list_rows, product_list
from catalog.serializers import (
    PRODUCT_STOCK_COLUMNS,
    ProductImageDetailSerializer,
    ProductPriceSerializer,
    ProductSerializer,
    ProductStockSerializer,
    product_stock_rows,
)
from catalog.views import ProductPriceViewSet, ProductStockViewSet
from omnitron.filters import FilterBackend, SortFilter
from omnitron.prepared import PreparedCount, PreparedValues
from omnitron.schema import response_example
from omnitron.viewsets import PAGE_PARAMETERS, ChannelLookupViewSet, ChannelScopedMixin

_DATES = {"created_date": "2025-05-22T09:53:23.297000Z", "modified_date": "2025-05-22T10:01:07.118204Z"}
_ROW_EXAMPLES = {
    "product": {
        "pk": 76,
        "name": "Basic T-shirt Black M",
        "product_type": 0,
        "sku": "TS-BLK-M",
        "base_code": "TS-BLK",
        "barcode": "8690000000761",
        "is_active": True,
        "attributes": {"renk": "Black", "beden": "M"},
        "attributes_kwargs": {},
        "localized_attributes": {},
        "localized_attributes_kwargs": {},
        "extra_attributes": {},
        "productimage_set": [{"pk": 31, "url": "https://cdn.example.com/ts-blk-m/1.jpg", "order": 1}],
        **_DATES,
    },
    "image": {"pk": 31, "product": 76, "url": "https://cdn.example.com/ts-blk-m/1.jpg", "order": 1, **_DATES},
    "price": {
        "pk": 8101,
        "product": 76,
        "price_list": 1,
        "price": "199.90",
        "retail_price": "249.90",
        "tax_rate": "20.0000",
        "currency": "try",
        "extra_field": {},
        **_DATES,
    },
    "stock": {
        "pk": 8545,
        "product": 76,
        "stock_list": 1,
        "stock": 10,
        "reserved": 2,
        "available": 8,
        "unit_type": "qty",
        "sold_quantity_unreported": 0,
        "extra_field": {},
        **_DATES,
    },
}

_RULES = {
    "updates": (
        "Rows whose integration action for this channel has a change it was not sent (a change "
        "recorded after the version last committed) and is not processing in an open batch."
    ),
    "inserts": "Rows this channel has no integration action for.",
    "inserts_or_updates": "The union of `inserts` and `updates`.",
}
_MODE_NAMES = {"inserts": "inserts", "updates": "updates", "inserts_or_updates": "inserts or updates"}
_ONE_PAGE = (
    " At most `limit` rows (default 10, at most 1000), by id, in one page (`next` is null): commit them "
    "in a batch request and ask again; committed rows drop out until they change again."
)
_BAD_LIST = {
    "stock": "Not one of the extra stock lists of the channel's catalog.",
    "price": "Not one of the extra price lists of the channel's catalog.",
}


def _feed_schema(*, row: str, mode: FeedMode, what: str, extra: str = "") -> dict:
    return extend_schema(
        summary=f"{what}: {_MODE_NAMES[mode]}",
        description=_RULES[mode] + extra + _ONE_PAGE,
        examples=[response_example(f"{what} to send", [_ROW_EXAMPLES[row]])],
    )


class FeedViewSet(ABC, ChannelScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """One page of the rows a feed offers: ``feed_ids(limit)`` picks them, the selector reads them."""

    mode: FeedMode = "updates"
    filter_backends = [FilterBackend, SortFilter]
    filterset_class = None
    ordering = ["id"]
    ordering_fields = ["id"]

    @abstractmethod
    def rows(self):
        """The selector the feed's rows are read from (the channel's list or catalog)."""

    @abstractmethod
    def feed_ids(self, limit: int) -> list[int]:
        """Ids of at most ``limit`` rows the feed offers now, by id."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.rows().none()
        return self.rows()

    def page_rows(self, queryset):
        """What a page is read as (model instances for the serializer) and turned into."""
        return queryset

    def represent(self, page) -> list:
        return self.get_serializer(page, many=True).data

    #: The page of the feed's ids as a request without filter or sort parameters reads it, compiled
    #: once (``rows(ids)``, paged, and its ``count``); None: every page through the filters.
    prepared_page: ClassVar[PreparedValues | None] = None
    prepared_count: ClassVar[PreparedCount | None] = None

    def list(self, request, *args, **kwargs):
        ids = self.feed_ids(self.paginator.get_limit(request))
        page = self.prepared_rows(request, ids)
        if page is None:
            page = self.paginate_queryset(self.page_rows(self.filter_queryset(self.get_queryset().filter(pk__in=ids))))
        return self.get_paginated_response(self.represent(page))

    def prepared_rows(self, request, ids: builtins.list[int]) -> builtins.list | None:
        """The page through ``prepared_page`` when the request gives only ``limit`` and ``page`` (the
        filters then keep every row and the sort is by id), validated and counted as
        ``paginate_queryset`` does; None otherwise (the view filters as usual)."""
        prepared, counted = self.prepared_page, self.prepared_count
        if prepared is None or counted is None or not request.query_params.keys() <= PAGE_PARAMETERS:
            return None
        paginator = self.paginator
        return paginator.paginate_rows(
            request,
            lambda offset, limit: prepared.rows(ids, limit=limit, offset=offset),
            # No ids: no statement either way, 0 (``pk__in=[]``), as the ORM counts it.
            lambda: paginator.cached_count(lambda: prepared.sql(ids), lambda: counted.count(ids)),
        )

    def extra_list_ids(self, kind: ListKind) -> set[int]:
        """The extra lists of the channel's catalog the feed reads: the one ``{kind}_list`` names
        (malformed: 400; not one of them: 404, that list has no feed here), else all of them."""
        self.filter_queryset((ProductPrice if kind == "price" else ProductStock).objects.none())
        extra = channel_extra_list_ids(channel_id=self.channel_id, kind=kind)
        raw = self.request.query_params.get(f"{kind}_list")
        if raw in (None, ""):
            return extra
        if int(raw) not in extra:
            raise NotFound(_BAD_LIST[kind])
        return {int(raw)}


class ProductFeedViewSet(FeedViewSet):
    serializer_class = ProductSerializer
    filterset_class = ProductFeedFilter

    def rows(self):
        return product_list()

    def feed_ids(self, limit: int) -> list[int]:
        candidates = self.filter_queryset(Product.objects.all())
        return product_feed_ids(channel_id=self.channel_id, mode=self.mode, candidates=candidates, limit=limit)


class ProductImageFeedViewSet(FeedViewSet):
    serializer_class = ProductImageDetailSerializer

    def rows(self):
        return ProductImage.objects.order_by("id")

    def feed_ids(self, limit: int) -> list[int]:
        return product_image_feed_ids(channel_id=self.channel_id, mode=self.mode, limit=limit)


class ListRowFeedViewSet(FeedViewSet):
    """The feed of the rows of the channel's default price or stock list (``kind``)."""

    kind: ListKind

    def rows(self):
        return list_rows(kind=self.kind)

    def list_ids(self) -> Collection[int]:
        lists = channel_catalog_lists(channel_id=self.channel_id)
        return [lists.price_list_id if self.kind == "price" else lists.stock_list_id]

    def feed_ids(self, limit: int) -> list[int]:
        return list_row_feed_ids(
            channel_id=self.channel_id, kind=self.kind, list_ids=self.list_ids(), mode=self.mode, limit=limit
        )


class ProductPriceFeedViewSet(ListRowFeedViewSet):
    serializer_class = ProductPriceSerializer
    kind = "price"


def _stock_page(ids) -> QuerySet:
    """The page query of the stock feeds for a request without filter or sort parameters."""
    return list_rows(kind="stock").filter(pk__in=ids).order_by("id").values(*PRODUCT_STOCK_COLUMNS)


class ProductStockFeedViewSet(ListRowFeedViewSet):
    serializer_class = ProductStockSerializer
    kind = "stock"
    # ``reserved`` defaults to 0 (a constant of the query).
    prepared_page = PreparedValues(_stock_page, kinds=("in",), paged=True, constants=(0,))
    prepared_count = PreparedCount(_stock_page, kinds=("in",))

    def page_rows(self, queryset):
        return queryset.values(*PRODUCT_STOCK_COLUMNS)

    def represent(self, page) -> list:
        return product_stock_rows(page)


class ExtraProductPriceFeedViewSet(ProductPriceFeedViewSet):
    filterset_class = ExtraPriceFeedFilter

    def list_ids(self) -> Collection[int]:
        return self.extra_list_ids(self.kind)


class ExtraProductStockFeedViewSet(ProductStockFeedViewSet):
    filterset_class = ExtraStockFeedFilter

    def list_ids(self) -> Collection[int]:
        return self.extra_list_ids(self.kind)


def feed_view(viewset: type[FeedViewSet], mode: FeedMode, *, row: str, what: str, extra: str = ""):
    """The view of ``viewset``'s feed in ``mode``, with its own OpenAPI summary and example."""
    documented = extend_schema_view(list=_feed_schema(row=row, mode=mode, what=what, extra=extra))(
        type(f"{viewset.__name__}{mode.title().replace('_', '')}", (viewset,), {"mode": mode})
    )
    return documented.as_view({"get": "list"})


_SENT = " For inserts, only rows whose product this channel has sent (its product integration action is `success`)."
_CATALOG = " Only products in the channel's catalog (active, priced in its default price list)."
# (path below the channel, viewset, modes, example row, summary, description): the feeds.
FEEDS = [
    ("products", ProductFeedViewSet, ("inserts", "updates", "inserts_or_updates"), "product", "Products", _CATALOG),
    ("product_images", ProductImageFeedViewSet, ("inserts", "updates"), "image", "Product images", _CATALOG + _SENT),
    (
        "product_prices",
        ProductPriceFeedViewSet,
        ("inserts", "updates"),
        "price",
        "Prices",
        " Rows of the catalog's default price list." + _SENT,
    ),
    (
        "product_stocks",
        ProductStockFeedViewSet,
        ("inserts", "updates"),
        "stock",
        "Stocks",
        " Rows of the catalog's default stock list." + _SENT,
    ),
    (
        "extra_product_prices",
        ExtraProductPriceFeedViewSet,
        ("inserts", "updates"),
        "price",
        "Extra-list prices",
        " Rows of `price_list`, one of the catalog's extra price lists (else 404); without it, of all of them." + _SENT,
    ),
    (
        "extra_product_stocks",
        ExtraProductStockFeedViewSet,
        ("inserts", "updates"),
        "stock",
        "Extra-list stocks",
        " Rows of `stock_list`, one of the catalog's extra stock lists (else 404); without it, of all of them." + _SENT,
    ),
]


# --- Lookups -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List product images",
        description="Images of every product (products are shared by all channels); `id__in` re-reads a batch's images.",
        examples=[response_example("Images", [_ROW_EXAMPLES["image"]])],
    ),
    retrieve=extend_schema(summary="Get a product image"),
)
class ProductImageViewSet(ChannelLookupViewSet):
    serializer_class = ProductImageDetailSerializer
    filterset_class = ProductImageFilter
    ordering_fields = ["id", "modified_date"]

    def get_queryset(self):
        return ProductImage.objects.order_by("id")


# Listed only (the routes map GET to ``list``): the same rows as the lookups.


@extend_schema_view(
    list=extend_schema(
        summary="List the prices of the channel's price lists",
        description="Rows of the catalog's default and extra price lists; `price_list` picks one of them.",
    ),
)
class ExtraProductPriceViewSet(ProductPriceViewSet):
    pass


@extend_schema_view(
    list=extend_schema(
        summary="List the stocks of the channel's stock lists",
        description="Rows of the catalog's default and extra stock lists; `stock_list` picks one of them.",
    ),
)
class ExtraProductStockViewSet(ProductStockViewSet):
    pass
