"""Catalog lookups under a channel: products, the channel's prices and its stock (with ``available``)."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from catalog.filters import ProductFilter, ProductPriceFilter, ProductStockFilter
from catalog.selectors import product_list, product_price_list, product_stock_list
from catalog.serializers import ProductPriceSerializer, ProductSerializer, ProductStockSerializer
from channels.models import Channel
from channels.views import ChannelLookupViewSet


@extend_schema_view(list=extend_schema(summary="List products"), retrieve=extend_schema(summary="Get a product"))
class ProductViewSet(ChannelLookupViewSet):
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    ordering_fields = ["id", "sku", "modified_date"]

    def get_queryset(self):
        return product_list()


class ChannelListsMixin:
    """The price and stock lists the channel uses (its defaults)."""

    def channel_lists(self) -> dict:
        if not hasattr(self, "_channel_lists"):
            self._channel_lists = (
                Channel.objects.filter(pk=self.channel_id).values("price_list_id", "stock_list_id").first()
            )
        return self._channel_lists


@extend_schema_view(
    list=extend_schema(summary="List the channel's product prices"),
    retrieve=extend_schema(summary="Get a product price"),
)
class ProductPriceViewSet(ChannelListsMixin, ChannelLookupViewSet):
    serializer_class = ProductPriceSerializer
    filterset_class = ProductPriceFilter
    ordering_fields = ["id", "modified_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return product_price_list().none()
        return product_price_list().filter(price_list_id=self.channel_lists()["price_list_id"])


@extend_schema_view(
    list=extend_schema(summary="List the channel's product stocks"),
    retrieve=extend_schema(summary="Get a product stock"),
)
class ProductStockViewSet(ChannelListsMixin, ChannelLookupViewSet):
    serializer_class = ProductStockSerializer
    filterset_class = ProductStockFilter
    ordering_fields = ["id", "modified_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return product_stock_list().none()
        return product_stock_list().filter(stock_list_id=self.channel_lists()["stock_list_id"])
