"""Catalog lookups under a channel: products, the channel's prices and its stock (with ``available``)."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from catalog.filters import ProductFilter, ProductPriceFilter, ProductStockFilter
from catalog.selectors import channel_list_ids, product_list, product_price_list, product_stock_list
from catalog.serializers import ProductPriceSerializer, ProductSerializer, ProductStockSerializer
from channels.views import ChannelLookupViewSet


@extend_schema_view(list=extend_schema(summary="List products"), retrieve=extend_schema(summary="Get a product"))
class ProductViewSet(ChannelLookupViewSet):
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    ordering_fields = ["id", "sku", "modified_date"]

    def get_queryset(self):
        return product_list()


@extend_schema_view(
    list=extend_schema(summary="List the channel's product prices"),
    retrieve=extend_schema(summary="Get a product price"),
)
class ProductPriceViewSet(ChannelLookupViewSet):
    serializer_class = ProductPriceSerializer
    filterset_class = ProductPriceFilter
    ordering_fields = ["id", "modified_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return product_price_list().none()
        return product_price_list().filter(price_list_id__in=channel_list_ids(channel_id=self.channel_id, kind="price"))


@extend_schema_view(
    list=extend_schema(summary="List the channel's product stocks"),
    retrieve=extend_schema(summary="Get a product stock"),
)
class ProductStockViewSet(ChannelLookupViewSet):
    serializer_class = ProductStockSerializer
    filterset_class = ProductStockFilter
    ordering_fields = ["id", "modified_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return product_stock_list().none()
        return product_stock_list().filter(stock_list_id__in=channel_list_ids(channel_id=self.channel_id, kind="stock"))
