"""URL patterns mounted by omnitron/urls.py."""

from rest_framework.routers import SimpleRouter

from channels.views import CargoCompanyViewSet, CityViewSet, CountryViewSet, DistrictViewSet, TownshipViewSet

router = SimpleRouter()
router.register("countries", CountryViewSet, basename="channel-country")
router.register("cities", CityViewSet, basename="channel-city")
router.register("townships", TownshipViewSet, basename="channel-township")
router.register("districts", DistrictViewSet, basename="channel-district")
router.register("cargos", CargoCompanyViewSet, basename="channel-cargo")

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [*router.urls]
