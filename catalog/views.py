"""Catalog lookups: catalogs, and under a channel its products, lists, prices and stock (with ``available``)."""

from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from catalog.filters import ProductFilter, ProductPriceFilter, ProductStockFilter
from catalog.models import Catalog
from catalog.selectors import (
    ListKind,
    catalog_list_for_user,
    channel_list_rows,
    channel_lists,
    product_list,
)
from catalog.serializers import (
    CatalogSerializer,
    PriceListSerializer,
    ProductPriceSerializer,
    ProductSerializer,
    ProductStockSerializer,
    StockListSerializer,
)
from omnitron.schema import response_example
from omnitron.viewsets import ChannelLookupViewSet


@extend_schema_view(list=extend_schema(summary="List products"), retrieve=extend_schema(summary="Get a product"))
class ProductViewSet(ChannelLookupViewSet):
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    ordering_fields = ["id", "sku", "modified_date"]

    def get_queryset(self):
        return product_list()


# The lists of one kind (price or stock) the channel's catalog uses, or their rows: ``selector``
# reads them. A comment, not a docstring: the schema would take a docstring as the operations'
# description.
class _ByListKindViewSet(ChannelLookupViewSet):
    kind: ListKind
    selector: Callable[..., QuerySet]

    def get_queryset(self):
        return self.channel_rows(self.selector, kind=self.kind)


class _ListRowsViewSet(_ByListKindViewSet):
    selector = staticmethod(channel_list_rows)
    ordering_fields = ["id", "modified_date"]


@extend_schema_view(
    list=extend_schema(summary="List the channel's product prices"),
    retrieve=extend_schema(summary="Get a product price"),
)
class ProductPriceViewSet(_ListRowsViewSet):
    serializer_class = ProductPriceSerializer
    filterset_class = ProductPriceFilter
    kind = "price"


@extend_schema_view(
    list=extend_schema(summary="List the channel's product stocks"),
    retrieve=extend_schema(summary="Get a product stock"),
)
class ProductStockViewSet(_ListRowsViewSet):
    serializer_class = ProductStockSerializer
    filterset_class = ProductStockFilter
    kind = "stock"


_LIST_DATES = {"created_date": "2025-05-22T09:53:23.297000Z", "modified_date": "2025-05-22T09:53:23.297000Z"}


def _lists_example(row: dict) -> OpenApiExample:
    return response_example(
        "The channel's lists", {"count": 1, "next": None, "previous": None, "results": [{**row, **_LIST_DATES}]}
    )


@extend_schema_view(
    list=extend_schema(
        summary="List the price lists the channel uses (its catalog's default and extra lists)",
        examples=[
            _lists_example(
                {"pk": 1, "id": 1, "name": "Retail TRY", "code": "PL-1", "currency": "try", "is_auto_sync": False}
            )
        ],
    )
)
class ChannelPriceListViewSet(_ByListKindViewSet):
    serializer_class = PriceListSerializer
    filterset_class = None
    selector = staticmethod(channel_lists)
    kind = "price"


@extend_schema_view(
    list=extend_schema(
        summary="List the stock lists the channel uses (its catalog's default and extra lists)",
        examples=[_lists_example({"pk": 1, "id": 1, "name": "Main warehouse", "code": "SL-1", "is_auto_sync": False})],
    )
)
class ChannelStockListViewSet(_ByListKindViewSet):
    serializer_class = StockListSerializer
    filterset_class = None
    selector = staticmethod(channel_lists)
    kind = "stock"


@extend_schema_view(
    retrieve=extend_schema(
        summary="Get a catalog: the price and stock lists a channel sells from",
        description="Visible to members of a channel whose catalog it is (and to staff); anything else 404.",
        responses={200: CatalogSerializer, 404: OpenApiTypes.OBJECT},
        examples=[
            response_example(
                "Catalog",
                {
                    "pk": 1,
                    "id": 1,
                    "name": "Marketplace catalog",
                    "price_list": 1,
                    "stock_list": 1,
                    "extra_price_lists": [4],
                    "extra_stock_lists": [],
                    "created_date": "2025-05-22T09:53:23.297000Z",
                    "modified_date": "2025-05-22T09:53:23.297000Z",
                },
            ),
            response_example("Not found", {"detail": "Not found.", "code": "not_found"}, 404),
        ],
    )
)
class CatalogViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CatalogSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Catalog.objects.none()
        return catalog_list_for_user(user=self.request.user)
