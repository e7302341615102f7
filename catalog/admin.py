"""Admin for products, prices, stock and reservations."""

from django.contrib import admin
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from catalog.models import (
    Catalog,
    PriceList,
    Product,
    ProductImage,
    ProductPrice,
    ProductStock,
    StockList,
    StockReservation,
)
from catalog.selectors import active_reserved_subquery
from catalog.writes import FEED_MODELS, catalog_row_create, catalog_row_update
from omnitron.admin_utils import BigTableAdminMixin, ReadOnlyAdminMixin, exact_search


def _changed_fields(row, changed: list[str]) -> dict:
    """Model field name → new value for the form fields that changed (concrete fields only)."""
    concrete = {field.name for field in row._meta.concrete_fields}
    return {name: getattr(row, name) for name in changed if name in concrete}


class FeedRowAdminMixin:
    """Saves go through ``catalog.writes`` (a new version and an outbox row), inline rows too."""

    def save_model(self, request, obj, form, change):
        if not change:
            catalog_row_create(row=obj)
        elif fields := _changed_fields(obj, form.changed_data):
            catalog_row_update(row=obj, fields=fields)

    def save_formset(self, request, form, formset, change):
        if formset.model not in FEED_MODELS:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for row in formset.new_objects:
            catalog_row_create(row=row)
        for row, changed in formset.changed_objects:
            if fields := _changed_fields(row, changed):
                catalog_row_update(row=row, fields=fields)
        return None


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0


@admin.register(Product)
class ProductAdmin(FeedRowAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "sku", "name", "product_type", "base_code", "barcode", "is_active", "modified_date"]
    list_filter = ["is_active", "product_type"]
    search_fields = ["sku", "base_code", "barcode"]
    search_help_text = "Exact SKU, base code or barcode."
    inlines = [ProductImageInline]

    def get_search_results(self, request, queryset, search_term):
        return exact_search(queryset, search_term, fields=("sku", "base_code", "barcode")), False


@admin.register(ProductImage)
class ProductImageAdmin(FeedRowAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "product", "order", "url"]
    list_select_related = ["product"]
    raw_id_fields = ["product"]


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "price_list", "stock_list", "modified_date"]
    list_select_related = ["price_list", "stock_list"]
    search_fields = ["name"]
    autocomplete_fields = ["price_list", "stock_list", "extra_price_lists", "extra_stock_lists"]


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "code", "currency", "is_auto_sync"]
    list_filter = ["currency", "is_auto_sync"]
    search_fields = ["name", "code"]


@admin.register(ProductPrice)
class ProductPriceAdmin(FeedRowAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "product", "price_list", "price", "retail_price", "tax_rate", "modified_date"]
    list_filter = ["price_list"]
    list_select_related = ["product", "price_list"]
    raw_id_fields = ["product"]
    autocomplete_fields = ["price_list"]
    search_fields = ["product__sku"]
    search_help_text = "Exact SKU."

    def get_search_results(self, request, queryset, search_term):
        return exact_search(
            queryset, search_term, related={"product_id": Product.objects.filter(sku=search_term.strip())}
        ), False


@admin.register(StockList)
class StockListAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "code", "is_auto_sync"]
    list_filter = ["is_auto_sync"]
    search_fields = ["name", "code"]


@admin.register(ProductStock)
class ProductStockAdmin(FeedRowAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "product", "stock_list", "stock", "reserved", "available", "unit_type", "modified_date"]
    list_filter = ["stock_list", "unit_type"]
    list_select_related = ["product", "stock_list"]
    raw_id_fields = ["product"]
    autocomplete_fields = ["stock_list"]
    search_fields = ["product__sku"]
    search_help_text = "Exact SKU."

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(reserved=Coalesce(active_reserved_subquery(), Value(0)))
            .annotate(available=F("stock") - F("reserved"))
        )

    def get_search_results(self, request, queryset, search_term):
        return exact_search(
            queryset, search_term, related={"product_id": Product.objects.filter(sku=search_term.strip())}
        ), False

    @admin.display(description="reserved")
    def reserved(self, obj) -> int:
        return obj.reserved

    @admin.display(description="available")
    def available(self, obj) -> int:
        return obj.available


@admin.register(StockReservation)
class StockReservationAdmin(ReadOnlyAdminMixin, BigTableAdminMixin, admin.ModelAdmin):
    """Read-only: reservations are made and released by the order services."""

    list_display = ["id", "stock", "quantity", "created_date", "released_at", "release_reason"]
    list_filter = ["release_reason", ("released_at", admin.EmptyFieldListFilter)]
    list_select_related = ["stock"]
    raw_id_fields = ["stock"]
