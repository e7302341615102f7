"""Admin for channels, members, customers, addresses, geography and mappings."""

from django.contrib import admin

from channels.models import (
    Address,
    CargoCompany,
    Channel,
    ChannelMembership,
    City,
    Country,
    Customer,
    District,
    IntegrationMapping,
    PaymentOption,
    RetailStore,
    Township,
)
from channels.selectors import customer_search
from channels.services import address_create, address_update, customer_create, customer_update
from omnitron.admin_utils import BigTableAdminMixin, exact_search


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "=code"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "is_active"]
    list_filter = ["is_active", "country"]
    list_select_related = ["country"]
    search_fields = ["name"]
    autocomplete_fields = ["country"]


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["city"]
    search_fields = ["name"]
    autocomplete_fields = ["city"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "city", "postcode", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["township", "city"]
    search_fields = ["name", "=postcode"]
    autocomplete_fields = ["city", "township"]


class ChannelMembershipInline(admin.TabularInline):
    model = ChannelMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "channel_type", "is_active", "catalog", "created_date"]
    list_filter = ["channel_type", "is_active"]
    list_select_related = ["catalog"]
    search_fields = ["name"]
    autocomplete_fields = ["catalog"]
    inlines = [ChannelMembershipInline]


@admin.register(RetailStore)
class RetailStoreAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "erp_code", "city", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["city"]
    search_fields = ["name", "=erp_code"]
    raw_id_fields = ["country", "city", "township", "district"]


@admin.register(ChannelMembership)
class ChannelMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "created_date"]
    list_filter = ["channel"]
    list_select_related = ["user", "channel"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["channel"]


@admin.register(Customer)
class CustomerAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "email", "first_name", "last_name", "channel", "channel_code", "is_active", "created_date"]
    list_filter = ["channel", "is_active"]
    list_select_related = ["channel"]
    search_fields = ["email", "channel_code", "erp_code"]
    search_help_text = "Beginning of the e-mail or name, or the exact phone number, channel code or ERP code."
    autocomplete_fields = ["channel"]

    def get_search_results(self, request, queryset, search_term):
        return exact_search(
            queryset,
            search_term,
            fields=("channel_code", "erp_code", "phone_number"),
            related={"id": customer_search(search_term.strip())} if search_term.strip() else {},
        ), False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            customer_update(customer=obj, **fields)
        else:
            fields = {name: value for name, value in form.cleaned_data.items() if name != "channel"}
            saved = customer_create(channel=form.cleaned_data["channel"], **fields)
            obj.pk = saved.pk


@admin.register(Address)
class AddressAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "title", "customer", "city", "township", "created_date"]
    list_filter = ["channel", "is_active"]
    list_select_related = ["customer", "city", "township"]
    search_fields = ["hash_data"]
    search_help_text = "Exact hash_data, or the customer's exact e-mail."
    raw_id_fields = ["customer"]
    autocomplete_fields = ["country", "city", "township", "district"]
    readonly_fields = ["channel", "hash_data"]

    def get_search_results(self, request, queryset, search_term):
        return exact_search(
            queryset,
            search_term,
            fields=("hash_data",),
            related={"customer_id": Customer.objects.filter(email=search_term.strip())},
        ), False

    def save_model(self, request, obj, form, change):
        editable = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "customer"}
        if change:
            address_update(address=obj, **editable)
        else:
            saved = address_create(customer=form.cleaned_data["customer"], **editable)
            obj.pk = saved.pk


@admin.register(CargoCompany)
class CargoCompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "shipping_company", "erp_code", "is_active"]
    list_filter = ["shipping_company", "is_active"]
    search_fields = ["name", "=erp_code"]


@admin.register(PaymentOption)
class PaymentOptionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "payment_type", "is_active"]
    list_filter = ["payment_type", "is_active"]
    search_fields = ["name", "=slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(IntegrationMapping)
class IntegrationMappingAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "integration_type", "code", "content_type", "object_id", "created_date"]
    list_filter = ["integration_type", "content_type"]
    list_select_related = ["content_type"]
    search_fields = ["code"]
    search_help_text = "Exact code."

    def get_search_results(self, request, queryset, search_term):
        return exact_search(queryset, search_term, fields=("code",)), False
