"""``manage.py seed_demo [--reset] [--json] [--orders N]``: the demo world, and bulk orders for benchmarks."""

import json
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from orders.demo import bulk_orders_generate, seed_demo_world


class Command(BaseCommand):
    help = "Create (or refresh) demo channels, products, stock, customers, orders, an integration user and its token."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object with ids, credentials and the token."
        )
        parser.add_argument("--orders", type=int, default=0, help="Also make sure N synthetic bulk orders exist.")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Base URL printed for the API.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every row of the database first (ids restart at 1), so the README's examples hold again.",
        )

    def handle(self, *args, **options):
        if options["reset"]:
            if settings.PRODUCTION:
                raise CommandError("--reset deletes all data; it is refused with DJANGO_ENV=production.")
            # flush empties every table and restarts the id sequences: the demo ids are the same each time.
            call_command("flush", interactive=False, verbosity=0)
        world = seed_demo_world(base_url=options["base_url"])
        info = dict(world.info)
        if options["orders"]:
            started = time.monotonic()
            info["bulk_orders_created"] = bulk_orders_generate(total=options["orders"])
            info["bulk_seconds"] = round(time.monotonic() - started, 2)
        if options["json"]:
            self.stdout.write(json.dumps(info))
            return
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        for key in (
            "base_url",
            "docs_url",
            "admin_url",
            "username",
            "password",
            "token",
            "channel_id",
            "other_channel_id",
            "admin_username",
            "admin_password",
        ):
            self.stdout.write(f"  {key}: {info[key]}")
        self.stdout.write("  The token works as printed: send 'Authorization: Token <token>'.")
        self.stdout.write("  `make demo-reset` (seed_demo --reset) puts this data back as it was, with the same ids.")
        if "bulk_orders_created" in info:
            self.stdout.write(f"  bulk orders created: {info['bulk_orders_created']} in {info['bulk_seconds']} s")
