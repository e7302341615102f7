"""FilterSets of the catalog lookups."""

import django_filters

from catalog.models import Product, ProductPrice, ProductStock
from omnitron.filters import CharInFilter, IdFilter, StrictBooleanFilter


class ProductFilter(django_filters.FilterSet):
    sku = django_filters.CharFilter(max_length=128)
    sku__in = CharInFilter(field_name="sku")
    base_code = django_filters.CharFilter(max_length=128)
    barcode = django_filters.CharFilter(max_length=128)
    is_active = StrictBooleanFilter()

    class Meta:
        model = Product
        fields: list[str] = []


class ProductPriceFilter(django_filters.FilterSet):
    product = IdFilter(field_name="product_id")
    product__sku = django_filters.CharFilter(field_name="product__sku", max_length=128)
    price_list = IdFilter(field_name="price_list_id")

    class Meta:
        model = ProductPrice
        fields: list[str] = []


class ProductStockFilter(django_filters.FilterSet):
    product = IdFilter(field_name="product_id")
    product__sku = django_filters.CharFilter(field_name="product__sku", max_length=128)
    stock_list = IdFilter(field_name="stock_list_id")

    class Meta:
        model = ProductStock
        fields: list[str] = []
