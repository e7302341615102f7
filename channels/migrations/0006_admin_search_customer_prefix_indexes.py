from django.db import migrations

from omnitron.indexes import AddPrefixIndex


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("channels", "0005_client_filter_geography_indexes"),
    ]

    operations = [
        AddPrefixIndex(table="channels_customer", column="email", name="customer_email_prefix_idx"),
        AddPrefixIndex(table="channels_customer", column="first_name", name="customer_first_name_prefix_idx"),
        AddPrefixIndex(table="channels_customer", column="last_name", name="customer_last_name_prefix_idx"),
    ]
