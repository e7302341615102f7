from django.db import migrations

from omnitron.indexes import AddPrefixIndex


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("orders", "0003_client_lengths_tracking_codes"),
    ]

    operations = [
        AddPrefixIndex(table="orders_order", column="number", name="order_number_prefix_idx"),
    ]
