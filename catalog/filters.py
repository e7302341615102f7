"""FilterSets of the catalog lookups."""

import django_filters

from catalog.models import Product, ProductImage, ProductPrice, ProductStock, ProductType
from omnitron.filters import CharInFilter, FilterSet, IdFilter, IdInFilter, StrictBooleanFilter


class ProductFilter(FilterSet):
    pk__in = IdInFilter(field_name="id", label="Comma-separated product ids")
    sku = django_filters.CharFilter(max_length=128)
    sku__in = CharInFilter(field_name="sku")
    base_code = django_filters.CharFilter(max_length=128)
    barcode = django_filters.CharFilter(max_length=128)
    is_active = StrictBooleanFilter()
    product_type = django_filters.TypedChoiceFilter(choices=ProductType.choices, coerce=int)

    class Meta:
        model = Product
        fields: list[str] = []


class ProductPriceFilter(FilterSet):
    pk__in = IdInFilter(field_name="id", label="Comma-separated price ids")
    product = IdFilter(field_name="product_id")
    product__pk__in = IdInFilter(field_name="product_id", label="Comma-separated product ids")
    product__sku = django_filters.CharFilter(field_name="product__sku", max_length=128)
    price_list = IdFilter(field_name="price_list_id")

    class Meta:
        model = ProductPrice
        fields: list[str] = []


class ProductStockFilter(FilterSet):
    pk__in = IdInFilter(field_name="id", label="Comma-separated stock ids")
    product = IdFilter(field_name="product_id")
    product__pk__in = IdInFilter(field_name="product_id", label="Comma-separated product ids")
    product__sku = django_filters.CharFilter(field_name="product__sku", max_length=128)
    stock_list = IdFilter(field_name="stock_list_id")

    class Meta:
        model = ProductStock
        fields: list[str] = []


class ProductImageFilter(FilterSet):
    id__in = IdInFilter(field_name="id", label="Comma-separated image ids")
    pk__in = IdInFilter(field_name="id", label="Comma-separated image ids")
    product = IdFilter(field_name="product_id")
    product__pk__in = IdInFilter(field_name="product_id", label="Comma-separated product ids")
    product__sku = django_filters.CharFilter(field_name="product__sku", max_length=128)

    class Meta:
        model = ProductImage
        fields: list[str] = []


class ProductFeedFilter(FilterSet):
    product_type = django_filters.TypedChoiceFilter(
        choices=ProductType.choices, coerce=int, help_text="Only products of this type (0 simple)."
    )

    class Meta:
        model = Product
        fields: list[str] = []


class ExtraPriceFeedFilter(FilterSet):
    price_list = IdFilter(
        field_name="price_list_id", help_text="One of the catalog's extra price lists (else 404); omitted: all of them."
    )

    class Meta:
        model = ProductPrice
        fields: list[str] = []


class ExtraStockFeedFilter(FilterSet):
    stock_list = IdFilter(
        field_name="stock_list_id", help_text="One of the catalog's extra stock lists (else 404); omitted: all of them."
    )

    class Meta:
        model = ProductStock
        fields: list[str] = []
