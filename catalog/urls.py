"""URL patterns mounted by omnitron/urls.py."""

from rest_framework.routers import SimpleRouter

from catalog.views import ProductPriceViewSet, ProductStockViewSet, ProductViewSet

router = SimpleRouter()
router.register("products", ProductViewSet, basename="channel-product")
router.register("product_prices", ProductPriceViewSet, basename="channel-product-price")
router.register("product_stocks", ProductStockViewSet, basename="channel-product-stock")

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [*router.urls]
