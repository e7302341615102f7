"""Views of the channels app: geography, cargo companies, retail stores, the channel itself, customers and addresses."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.response import Response

from channels.filters import (
    AddressFilter,
    CargoCompanyFilter,
    CityFilter,
    ContentTypeFilter,
    CountryFilter,
    CustomerFilter,
    DistrictFilter,
    RetailStoreFilter,
    TownshipFilter,
)
from channels.models import Address, Channel, Customer
from channels.selectors import (
    address_list,
    cargo_company_list,
    channel_get_for_user,
    channel_list_for_user,
    city_list,
    content_type_list,
    country_list,
    customer_list,
    district_list,
    retail_store_list,
    township_list,
)
from channels.serializers import (
    ActiveUserSerializer,
    AddressSerializer,
    CargoCompanySerializer,
    ChannelSerializer,
    ChannelUpdateSerializer,
    CitySerializer,
    ContentTypeSerializer,
    CountrySerializer,
    CustomerSerializer,
    DistrictSerializer,
    RetailStoreSerializer,
    TownshipSerializer,
)
from channels.services import address_create, address_update, channel_update, customer_create, customer_update
from omnitron.schema import response_example
from omnitron.viewsets import ChannelLookupViewSet, ChannelScopedMixin

_NOT_FOUND_EXAMPLE = response_example("Not found", {"detail": "Not found.", "code": "not_found"}, 404)


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


_RETAIL_STORE_EXAMPLE = {
    "pk": 3,
    "name": "Kadıköy store",
    "erp_code": "KADIKOY-1",
    "is_active": True,
    "country": 1,
    "city": 34,
    "township": 412,
    "district": None,
    "address": "Bahariye Cd. No: 1",
    "postcode": "34710",
    "phone_number": None,
    "fax_phone_number": None,
    "latitude": "40.987600",
    "longitude": "29.026500",
    "store_hours": [],
    "created_date": "2025-05-22T09:53:23.297000Z",
    "modified_date": "2025-05-22T09:53:23.297000Z",
}


@extend_schema_view(
    list=extend_schema(
        summary="List active retail stores (?erp_code= finds one)",
        examples=[
            response_example(
                "By ERP code", {"count": 1, "next": None, "previous": None, "results": [_RETAIL_STORE_EXAMPLE]}
            )
        ],
    ),
    retrieve=extend_schema(
        summary="Get a retail store",
        examples=[response_example("Retail store", _RETAIL_STORE_EXAMPLE)],
    ),
)
class RetailStoreViewSet(ChannelLookupViewSet):
    serializer_class = RetailStoreSerializer
    filterset_class = RetailStoreFilter
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return retail_store_list()


# --- The lookups a channel app reads first --------------------------------------------------------

_EXAMPLE_TOKEN = "marketplace-token"  # noqa: S105  # nosec B105  # documentation example
_CHANNEL_EXAMPLE = {
    "pk": 1,
    "id": 1,
    "name": "Demo marketplace",
    "channel_type": "marketplace",
    "is_active": True,
    "conf": {"send_shipping_info": True, "cancellation_reason_id": 1, "token": _EXAMPLE_TOKEN},
    "catalog": 1,
    "category_tree": None,
    "schema": {},
    "created_date": "2025-05-22T09:53:23.297000Z",
    "modified_date": "2025-05-22T09:53:23.297000Z",
}


@extend_schema_view(
    retrieve=extend_schema(
        summary="Get a channel",
        description=(
            "`conf` is complete for holders of the `channels.view_channel_conf` permission (the channel's "
            "integration user; superusers hold every permission); for everyone else keys containing "
            "password/secret/token/key are left out."
        ),
        responses={200: ChannelSerializer, 404: OpenApiTypes.OBJECT},
        examples=[response_example("Channel", _CHANNEL_EXAMPLE), _NOT_FOUND_EXAMPLE],
    ),
    partial_update=extend_schema(
        summary="Set a channel's category tree or schema (needs change_channel)",
        request=ChannelUpdateSerializer,
        responses={200: ChannelSerializer, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample("Category tree", value={"category_tree": 3}, request_only=True),
            OpenApiExample("Schema", value={"schema": {"api_key": {"required": True}}}, request_only=True),
            response_example("Not an object", {"schema": ["Expected a JSON object."]}, 400),
        ],
    ),
)
class ChannelViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One channel the caller may see (a member, or staff); anything else 404."""

    serializer_class = ChannelSerializer
    permission_model = Channel

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Channel.objects.none()
        return channel_list_for_user(user=self.request.user)

    def partial_update(self, request, *args, **kwargs):
        channel = self.get_object()
        serializer = ChannelUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = channel_update(channel=channel, **serializer.validated_data)
        return Response(self.get_serializer(channel).data)


class ActiveUserView(generics.RetrieveAPIView):
    """The caller's own user (omnisdk checks a token with it)."""

    serializer_class = ActiveUserSerializer
    pagination_class = None

    @extend_schema(
        summary="The authenticated user",
        responses={200: ActiveUserSerializer, 401: OpenApiTypes.OBJECT},
        examples=[
            response_example(
                "Not logged in",
                {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
                401,
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return self.request.user


@extend_schema_view(
    list=extend_schema(
        summary="List content types (?model= finds exactly one)",
        description="The models of this service's apps; a model name appears once across the listing.",
        examples=[
            response_example(
                "One model",
                {
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [{"id": 12, "app_label": "orders", "model": "order"}],
                },
            )
        ],
    )
)
class ContentTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ContentTypeSerializer
    filterset_class = ContentTypeFilter
    ordering = ["id"]
    ordering_fields = ["id", "model"]

    def get_queryset(self):
        return content_type_list()


# --- Customers and addresses (API.md 4.5) -------------------------------------------------------

_CUSTOMER_EXAMPLE = {
    "pk": 17,
    "channel": 1,
    "email": "ayse@example.com",
    "first_name": "Ayşe",
    "last_name": "Yılmaz",
    "phone_number": "05550000000",
    "channel_code": "C-1001",
    "erp_code": None,
    "is_active": True,
    "email_allowed": False,
    "sms_allowed": False,
    "call_allowed": False,
    "gender": None,
    "date_of_birth": None,
    "date_joined": "2025-01-01T00:00:00Z",
    "attributes": {},
    "extra_field": {},
    "created_date": "2025-05-22T09:53:23.297000Z",
    "modified_date": "2025-05-22T09:53:23.297000Z",
}
_ADDRESS_EXAMPLE = {
    "pk": 31,
    "channel": 1,
    "customer": 17,
    "title": "Home",
    "email": "ayse@example.com",
    "phone_number": "05550000000",
    "first_name": "Ayşe",
    "last_name": "Yılmaz",
    "country": 1,
    "city": 71,
    "township": 853,
    "district": 3679,
    "line": "Atatürk Cd. No: 1",
    "postcode": "03400",
    "notes": None,
    "company_name": None,
    "tax_office": None,
    "tax_no": None,
    "e_bill_taxpayer": False,
    "identity_number": None,
    "is_active": True,
    "extra_field": {},
    "hash_data": "5d41402abc4b2a76b9719d911017c592ae1f3bd2e1c4b5f0a7e3b1c2d3e4f5a6",
    "created_date": "2025-05-22T09:53:23.297000Z",
    "modified_date": "2025-05-22T09:53:23.297000Z",
}
_ERROR_RESPONSES = {400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


class CustomerViewSet(ChannelScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The channel's customers: list (filters ``email``, ``phone_number``, ``channel_code``), create,
    retrieve, update. ``channel_code`` is unique in the channel."""

    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    permission_model = Customer
    ordering = ["id"]
    ordering_fields = ["id", "email", "channel_code", "created_date", "modified_date"]

    def get_queryset(self):
        return self.channel_rows(customer_list)

    @extend_schema(
        summary="Create a customer (channel_code unique in the channel)",
        responses={201: CustomerSerializer, 400: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "Customer",
                value={key: _CUSTOMER_EXAMPLE[key] for key in ("email", "first_name", "last_name", "channel_code")},
                request_only=True,
            ),
            response_example("Created", _CUSTOMER_EXAMPLE, 201),
            response_example(
                "Duplicate channel_code",
                {"channel_code": ["A customer with this channel_code already exists in the channel (pk 17)."]},
                400,
            ),
        ],
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = channel_get_for_user(user=request.user, channel_id=self.channel_id)
        customer = customer_create(channel=channel, **serializer.validated_data)
        return Response(self.get_serializer(customer).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Replace a customer", responses={200: CustomerSerializer, **_ERROR_RESPONSES})
    def update(self, request, *args, **kwargs):
        customer = self.get_object()
        serializer = self.get_serializer(customer, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        customer = customer_update(customer=customer, **serializer.validated_data)
        return Response(self.get_serializer(customer).data)

    @extend_schema(summary="Update some fields of a customer", responses={200: CustomerSerializer, **_ERROR_RESPONSES})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Get a customer",
        examples=[_NOT_FOUND_EXAMPLE],
        responses={200: CustomerSerializer, 404: OpenApiTypes.OBJECT},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="List the channel's customers (by email, phone_number or channel_code)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class AddressViewSet(ChannelScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The channel's addresses: list (filters incl. ``customer`` and ``hash_data``), create, retrieve,
    update. An address identical to one the customer already has is refused with its ``hash_data``."""

    serializer_class = AddressSerializer
    filterset_class = AddressFilter
    permission_model = Address
    ordering = ["id"]
    ordering_fields = ["id", "customer", "created_date", "modified_date"]

    def get_queryset(self):
        return self.channel_rows(address_list)

    @extend_schema(
        summary="Create an address for a customer of the channel",
        responses={201: AddressSerializer, 400: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "Address",
                value={
                    key: _ADDRESS_EXAMPLE[key]
                    for key in ("customer", "title", "first_name", "last_name", "country", "city", "township", "line")
                },
                request_only=True,
            ),
            response_example("Created", _ADDRESS_EXAMPLE, 201),
            response_example(
                "Identical address exists",
                {
                    "non_field_errors": f"hash_data:{_ADDRESS_EXAMPLE['hash_data']} An identical address already "
                    "exists for this customer (pk 31).",
                    "hash_data": [_ADDRESS_EXAMPLE["hash_data"]],
                },
                400,
            ),
        ],
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        address = address_create(customer=fields.pop("customer"), **fields)
        return Response(self.get_serializer(address).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Replace an address", responses={200: AddressSerializer, **_ERROR_RESPONSES})
    def update(self, request, *args, **kwargs):
        address = self.get_object()
        serializer = self.get_serializer(address, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.pop("customer", None)
        address = address_update(address=address, **fields)
        return Response(self.get_serializer(address).data)

    @extend_schema(summary="Update some fields of an address", responses={200: AddressSerializer, **_ERROR_RESPONSES})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Get an address",
        examples=[_NOT_FOUND_EXAMPLE],
        responses={200: AddressSerializer, 404: OpenApiTypes.OBJECT},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="List the channel's addresses (by customer or hash_data)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
