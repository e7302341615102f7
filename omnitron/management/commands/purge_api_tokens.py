"""``manage.py purge_api_tokens``: delete API tokens that expired, were revoked or went idle."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from omnitron.tokens import tokens_delete_expired


class Command(BaseCommand):
    help = (
        "Delete API tokens that expired, were revoked or (login tokens) went idle more than --days ago "
        "(run it from cron, e.g. daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Grace period in days (default 30).")

    def handle(self, *args, days: int, **options):
        deleted = tokens_delete_expired(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} API token(s).")
