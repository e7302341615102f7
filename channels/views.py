"""Views of the channels app and the channel-scoping mixin used by every channel endpoint."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from channels.filters import CargoCompanyFilter, CityFilter, CountryFilter, DistrictFilter, TownshipFilter
from channels.selectors import (
    cargo_company_list,
    channel_check_access,
    city_list,
    country_list,
    district_list,
    township_list,
)
from channels.serializers import (
    CargoCompanySerializer,
    CitySerializer,
    CountrySerializer,
    DistrictSerializer,
    TownshipSerializer,
)


class ChannelScopedMixin:
    """For views under ``/api/v1/channel/{channel_id}/``: 404 unless the caller may see the channel.

    Runs after authentication, before any object lookup, so a foreign channel's data is never
    read. ``self.channel_id`` is the checked id.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.channel_id = int(kwargs["channel_id"])
        channel_check_access(user=request.user, channel_id=self.channel_id)


class ChannelLookupViewSet(
    ChannelScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read-only list and detail under a channel (reference data an integrator needs)."""

    lookup_value_regex = r"\d{1,18}"
    ordering = ["id"]
    ordering_fields = ["id"]


@extend_schema_view(list=extend_schema(summary="List countries"), retrieve=extend_schema(summary="Get a country"))
class CountryViewSet(ChannelLookupViewSet):
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return country_list()


@extend_schema_view(list=extend_schema(summary="List cities"), retrieve=extend_schema(summary="Get a city"))
class CityViewSet(ChannelLookupViewSet):
    serializer_class = CitySerializer
    filterset_class = CityFilter
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return city_list()


@extend_schema_view(list=extend_schema(summary="List townships"), retrieve=extend_schema(summary="Get a township"))
class TownshipViewSet(ChannelLookupViewSet):
    serializer_class = TownshipSerializer
    filterset_class = TownshipFilter
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return township_list()


@extend_schema_view(list=extend_schema(summary="List districts"), retrieve=extend_schema(summary="Get a district"))
class DistrictViewSet(ChannelLookupViewSet):
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilter
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return district_list()


@extend_schema_view(
    list=extend_schema(summary="List cargo companies"), retrieve=extend_schema(summary="Get a cargo company")
)
class CargoCompanyViewSet(ChannelLookupViewSet):
    serializer_class = CargoCompanySerializer
    filterset_class = CargoCompanyFilter
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return cargo_company_list()
