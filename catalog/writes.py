"""Writes of the catalog rows the channel feeds offer: products, their images, prices and stocks.

Every write goes through here (admin, demo data, future API writes), so that each one

1. moves the row's ``modified_date`` strictly forward (``max(now, previous + 1 µs)``, computed
   while the row is locked), so a ``version_date`` a channel app echoes names exactly one version;
2. records a ``Change`` in the same transaction (``integrations.services.changes_record``; the
   channel is null: a catalog row is shared by every channel whose catalog lists it), which is
   what the "updates" feeds read.

Stock reservations do not write stock rows (they are rows of their own), so ``create_orders``
records nothing here.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from catalog.locks import catalog_row_version_lock
from catalog.models import Product, ProductImage, ProductPrice, ProductStock
from integrations.services import ChangeRow, changes_record

FeedRow = Product | ProductImage | ProductPrice | ProductStock
# The catalog models the channel feeds offer (their writes must come through this module).
FEED_MODELS: tuple[type[FeedRow], ...] = (Product, ProductImage, ProductPrice, ProductStock)

ONE_MICROSECOND = timedelta(microseconds=1)


def next_version(previous: datetime | None) -> datetime:
    """The modified_date of the next version of a row whose current one is ``previous``."""
    now = timezone.now()
    if previous is None:
        return now
    return max(now, previous + ONE_MICROSECOND)


def catalog_row_create(*, row: FeedRow) -> FeedRow:
    """Insert the unsaved ``row`` and record its ``created`` change."""
    model = type(row)
    with transaction.atomic():
        row.save(force_insert=True)
        changes_record(
            model=model,
            changes=[ChangeRow(object_id=row.pk, channel_id=None, version_date=row.modified_date, kind="created")],
        )
    return row


def catalog_row_update(*, row: FeedRow, fields: dict) -> FeedRow:
    """Write ``fields`` (model field name → value) to ``row`` as a new version and record the change.

    Locks the row (FOR NO KEY UPDATE), reads its modified_date, writes the fields with the next
    version date, and sets them on ``row``. Raises the model's DoesNotExist when the row is gone.
    Four statements (lock, update, change insert, integration-action update).
    """
    model = type(row)
    with transaction.atomic():
        previous = catalog_row_version_lock(model=model, pk=row.pk)
        if previous is None:
            raise model.DoesNotExist(f"{model.__name__} {row.pk} does not exist.")
        version = next_version(previous)
        model.objects.filter(pk=row.pk).update(**fields, modified_date=version)
        changes_record(
            model=model,
            changes=[ChangeRow(object_id=row.pk, channel_id=None, version_date=version, kind="changed")],
        )
    for name, value in fields.items():
        setattr(row, name, value)
    row.modified_date = version
    return row


def catalog_row_upsert(*, model: type[FeedRow], lookup: dict, values: dict, update: bool = True) -> FeedRow:
    """The row matching ``lookup``: created with ``values`` when missing, else (with ``update``)
    given the ``values`` that differ, as one new version (nothing written when none differ)."""
    with transaction.atomic():
        row = model.objects.filter(**lookup).first()
        if row is None:
            return catalog_row_create(row=model(**lookup, **values))
        if not update:
            return row
        fields = {name: value for name, value in values.items() if getattr(row, name) != value}
        if not fields:
            return row
        return catalog_row_update(row=row, fields=fields)
