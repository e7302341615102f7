"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from catalog.feed_views import FEEDS, ExtraProductPriceViewSet, ExtraProductStockViewSet, ProductImageViewSet, feed_view
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
