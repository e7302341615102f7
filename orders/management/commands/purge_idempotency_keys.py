"""``manage.py purge_idempotency_keys``: delete Idempotency-Key records past their 24 hours."""

from django.core.management.base import BaseCommand

from orders.services.idempotency import idempotency_keys_purge


class Command(BaseCommand):
    help = "Delete expired Idempotency-Key records (run it from cron, e.g. hourly)."

    def handle(self, *args, **options):
        deleted = idempotency_keys_purge()
        self.stdout.write(f"Deleted {deleted} expired idempotency key(s).")
