"""Each channel's price and stock list links move into a catalog of its own."""

from django.db import migrations


def lists_into_catalogs(apps, schema_editor):
    Channel = apps.get_model("channels", "Channel")
    Catalog = apps.get_model("catalog", "Catalog")
    channels = Channel.objects.filter(catalog__isnull=True).exclude(price_list__isnull=True, stock_list__isnull=True)
    for channel in channels.order_by("id"):
        channel.catalog = Catalog.objects.create(
            name=f"{channel.name} catalog", price_list_id=channel.price_list_id, stock_list_id=channel.stock_list_id
        )
        channel.save(update_fields=["catalog"])


def catalogs_into_lists(apps, schema_editor):
    Channel = apps.get_model("channels", "Channel")
    for channel in Channel.objects.filter(catalog__isnull=False).select_related("catalog").order_by("id"):
        channel.price_list_id = channel.catalog.price_list_id
        channel.stock_list_id = channel.catalog.stock_list_id
        channel.save(update_fields=["price_list", "stock_list"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_catalog"),
        ("channels", "0002_channel_catalog_setup_fields_retail_store"),
    ]

    operations = [migrations.RunPython(lists_into_catalogs, catalogs_into_lists)]
