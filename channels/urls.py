"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from channels.views import (
    ActiveUserView,
    AddressViewSet,
    CargoCompanyViewSet,
    ChannelViewSet,
    CityViewSet,
    ContentTypeViewSet,
    CountryViewSet,
    CustomerViewSet,
    DistrictViewSet,
    RetailStoreViewSet,
    TownshipViewSet,
)

router = SimpleRouter()
router.register("countries", CountryViewSet, basename="channel-country")
router.register("cities", CityViewSet, basename="channel-city")
router.register("townships", TownshipViewSet, basename="channel-township")
router.register("districts", DistrictViewSet, basename="channel-district")
router.register("cargos", CargoCompanyViewSet, basename="channel-cargo")
router.register("retail_stores", RetailStoreViewSet, basename="channel-retail-store")

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [
    *router.urls,
    # Customers and addresses (API.md 4.5).
    path("customers/", CustomerViewSet.as_view({"get": "list", "post": "create"}), name="customer-list"),
    path(
        "customers/<int:pk>/",
        CustomerViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="customer-detail",
    ),
    path("addresses/", AddressViewSet.as_view({"get": "list", "post": "create"}), name="address-list"),
    path(
        "addresses/<int:pk>/",
        AddressViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="address-detail",
    ),
]

# Under /api/v1/: the lookups a channel app reads before anything else.
v1_urlpatterns: list = [
    path(
        "channels/<int:pk>/",
        ChannelViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="channel-detail",
    ),
    path("active_user/", ActiveUserView.as_view(), name="active-user"),
    path("content_types/", ContentTypeViewSet.as_view({"get": "list"}), name="content-type-list"),
]
