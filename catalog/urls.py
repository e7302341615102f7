"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

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

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [
    *router.urls,
    path("price_lists/", ChannelPriceListViewSet.as_view({"get": "list"}), name="channel-price-list-list"),
    path("stock_lists/", ChannelStockListViewSet.as_view({"get": "list"}), name="channel-stock-list-list"),
]

# Under /api/v1/.
v1_urlpatterns: list = [
    path("catalogs/<int:pk>/", CatalogViewSet.as_view({"get": "retrieve"}), name="catalog-detail"),
]
