"""Serializers of the catalog lookups."""

from collections.abc import Iterable
from typing import Any

from rest_framework import serializers

from catalog.models import Catalog, PriceList, Product, ProductImage, ProductPrice, ProductStock, StockList
from omnitron.fields import MoneyField, RateField


class ProductImageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductImage
        fields = ["pk", "url", "order"]


class ProductImageDetailSerializer(serializers.ModelSerializer):
    """An image on its own (``product_images/`` and its feeds): with its product's id and version date."""

    class Meta:
        model = ProductImage
        fields = ["pk", "product", "url", "order", "created_date", "modified_date"]


class ProductSerializer(serializers.ModelSerializer):
    productimage_set = ProductImageSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "pk",
            "name",
            "product_type",
            "sku",
            "base_code",
            "barcode",
            "is_active",
            "attributes",
            "attributes_kwargs",
            "localized_attributes",
            "localized_attributes_kwargs",
            "extra_attributes",
            "productimage_set",
            "created_date",
            "modified_date",
        ]


class ProductPriceSerializer(serializers.ModelSerializer):
    price = MoneyField()
    retail_price = MoneyField(allow_null=True)
    tax_rate = RateField()
    currency = serializers.CharField(source="price_list.currency", read_only=True)

    class Meta:
        model = ProductPrice
        fields = [
            "pk",
            "product",
            "price_list",
            "price",
            "retail_price",
            "tax_rate",
            "currency",
            "extra_field",
            "created_date",
            "modified_date",
        ]


class ProductStockSerializer(serializers.ModelSerializer):
    reserved = serializers.IntegerField(read_only=True, help_text="Units held by active reservations.")
    available = serializers.IntegerField(read_only=True, help_text="stock − reserved.")

    class Meta:
        model = ProductStock
        fields = [
            "pk",
            "product",
            "stock_list",
            "stock",
            "reserved",
            "available",
            "unit_type",
            "sold_quantity_unreported",
            "extra_field",
            "created_date",
            "modified_date",
        ]


# The column of each ``ProductStockSerializer`` key that is not named like it.
_STOCK_SOURCES = {"pk": "id", "product": "product_id", "stock_list": "stock_list_id"}
PRODUCT_STOCK_COLUMNS: tuple[str, ...] = tuple(
    _STOCK_SOURCES.get(key, key) for key in ProductStockSerializer.Meta.fields
)


def product_stock_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ProductStockSerializer``'s output from ``values(*PRODUCT_STOCK_COLUMNS)`` rows, without a
    serializer per row (the renderer writes the dates as the serializer does)."""
    keys = ProductStockSerializer.Meta.fields
    return [{key: row[_STOCK_SOURCES.get(key, key)] for key in keys} for row in rows]


class CatalogSerializer(serializers.ModelSerializer):
    """The lists a channel sells from, as ids."""

    pk = serializers.IntegerField(read_only=True)
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Catalog
        fields = [
            "pk",
            "id",
            "name",
            "price_list",
            "stock_list",
            "extra_price_lists",
            "extra_stock_lists",
            "created_date",
            "modified_date",
        ]
        read_only_fields = fields


class StockListSerializer(serializers.ModelSerializer):
    pk = serializers.IntegerField(read_only=True)
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = StockList
        fields = ["pk", "id", "name", "code", "is_auto_sync", "created_date", "modified_date"]
        read_only_fields = fields


class PriceListSerializer(StockListSerializer):
    class Meta:
        model = PriceList
        fields = ["pk", "id", "name", "code", "currency", "is_auto_sync", "created_date", "modified_date"]
        read_only_fields = fields
