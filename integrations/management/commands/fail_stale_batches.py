"""``manage.py fail_stale_batches [--minutes N]``: fail batch requests left open too long (run from cron)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from integrations.services import batch_requests_fail_stale


class Command(BaseCommand):
    help = (
        "Fail every batch request still initialized, commit, sent_to_remote or ongoing that has not changed for "
        "INTEGRATIONS_BATCH_STALE_MINUTES (or --minutes), so its objects are offered again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=None, help="Override INTEGRATIONS_BATCH_STALE_MINUTES.")

    def handle(self, *args, minutes=None, **options):
        minutes = settings.INTEGRATIONS_BATCH_STALE_MINUTES if minutes is None else minutes
        if minutes < 1:
            raise CommandError("--minutes must be at least 1.")
        failed = batch_requests_fail_stale(older_than=timedelta(minutes=minutes))
        self.stdout.write(
            f"Failed {len(failed)} stale batch request(s){': ' if failed else '.'}"
            + ", ".join(str(pk) for pk in failed)
        )
