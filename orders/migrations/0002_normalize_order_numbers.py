"""Store every order number in its normalized form (see ``orders.numbers``): surrounding
whitespace removed, Unicode NFC.

Rows whose normalized number another order of the same channel already has (or would have) are
left unchanged and printed, as are numbers that normalize to nothing or contain control
characters: merging orders is a decision for a person. README "Creating orders" says how to find
them later.
"""

import unicodedata

from django.db import migrations


def _clean(number: str) -> str:
    return unicodedata.normalize("NFC", number.strip())


def _storable(number: str) -> bool:
    return bool(number) and not any(unicodedata.category(char) == "Cc" for char in number)


def normalize_order_numbers(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    changes: dict[tuple[int, str], list[tuple[int, str]]] = {}
    unstorable: list[tuple[int, int, str]] = []
    rows = Order.objects.using(schema_editor.connection.alias).values_list("id", "channel_id", "number")
    for pk, channel_id, number in rows.order_by("id").iterator(chunk_size=5000):
        cleaned = _clean(number)
        if cleaned == number and _storable(number):
            continue
        if not _storable(cleaned):
            unstorable.append((pk, channel_id, number))
            continue
        changes.setdefault((channel_id, cleaned), []).append((pk, number))
    if not changes and not unstorable:
        return
    taken = set()
    by_channel: dict[int, list[str]] = {}
    for channel_id, cleaned in changes:
        by_channel.setdefault(channel_id, []).append(cleaned)
    for channel_id, numbers in by_channel.items():
        for start in range(0, len(numbers), 500):
            taken.update(
                Order.objects.using(schema_editor.connection.alias)
                .filter(channel_id=channel_id, number__in=numbers[start : start + 500])
                .values_list("channel_id", "number")
            )
    updated = 0
    collisions = []
    for (channel_id, cleaned), group in changes.items():
        if len(group) > 1 or (channel_id, cleaned) in taken:
            collisions += [(pk, channel_id, number, cleaned) for pk, number in group]
            continue
        pk, _ = group[0]
        Order.objects.using(schema_editor.connection.alias).filter(pk=pk).update(number=cleaned)
        updated += 1
    print(f"\n  Order numbers normalized: {updated}.")
    for pk, channel_id, number, cleaned in collisions:
        print(f"  Left unchanged, {cleaned!r} is another order's number in channel {channel_id}: order {pk} {number!r}")
    for pk, channel_id, number in unstorable:
        print(f"  Left unchanged, empty or with control characters: order {pk} of channel {channel_id} {number!r}")


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(normalize_order_numbers, migrations.RunPython.noop, elidable=True)]
