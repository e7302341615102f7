"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from catalog.feed_views import (
    ExtraProductPriceFeedViewSet,
    ExtraProductPriceViewSet,
    ExtraProductStockFeedViewSet,
    ExtraProductStockViewSet,
    ProductFeedViewSet,
    ProductImageFeedViewSet,
    ProductImageViewSet,
    ProductPriceFeedViewSet,
    ProductStockFeedViewSet,
    feed_view,
)
from catalog.views import (
    CatalogViewSet,
    ChannelPriceListViewSet,
    ChannelStockListViewSet,
    ProductPriceViewSet,
    ProductStockViewSet,
    ProductViewSet,
)

router = SimpleRouter()
router.register("products", ProductViewSet, basename="channel-product")
router.register("product_prices", ProductPriceViewSet, basename="channel-product-price")
router.register("product_stocks", ProductStockViewSet, basename="channel-product-stock")
router.register("product_images", ProductImageViewSet, basename="channel-product-image")

_SENT = " For inserts, only rows whose product this channel has sent (its product integration action is `success`)."
_CATALOG = " Only products in the channel's catalog (active, priced in its default price list)."
_EXTRA_PRICE = " Rows of `price_list`, one of the catalog's extra price lists (else 400)." + _SENT
_EXTRA_STOCK = " Rows of `stock_list`, one of the catalog's extra stock lists (else 400)." + _SENT
# (path, viewset, modes, example row, summary, description): the "inserts"/"updates" feeds.
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
        _EXTRA_PRICE,
    ),
    (
        "extra_product_stocks",
        ExtraProductStockFeedViewSet,
        ("inserts", "updates"),
        "stock",
        "Extra-list stocks",
        _EXTRA_STOCK,
    ),
]

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [
    *[
        path(
            f"{prefix}/{mode}/",
            feed_view(viewset, mode, row=row, what=what, extra=extra),
            name=f"channel-{prefix.replace('_', '-')}-{mode.replace('_', '-')}",
        )
        for prefix, viewset, modes, row, what, extra in FEEDS
        for mode in modes
    ],
    *router.urls,
    path(
        "extra_product_prices/",
        ExtraProductPriceViewSet.as_view({"get": "list"}),
        name="channel-extra-product-price-list",
    ),
    path(
        "extra_product_stocks/",
        ExtraProductStockViewSet.as_view({"get": "list"}),
        name="channel-extra-product-stock-list",
    ),
    path("price_lists/", ChannelPriceListViewSet.as_view({"get": "list"}), name="channel-price-list-list"),
    path("stock_lists/", ChannelStockListViewSet.as_view({"get": "list"}), name="channel-stock-list-list"),
]

# Under /api/v1/.
v1_urlpatterns: list = [
    path("catalogs/<int:pk>/", CatalogViewSet.as_view({"get": "retrieve"}), name="catalog-detail"),
]
