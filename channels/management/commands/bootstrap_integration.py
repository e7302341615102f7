"""``manage.py bootstrap_integration USERNAME --channel ID [...]``: the first integration user of a deployment."""

import json

from django.core.management.base import BaseCommand, CommandError

from channels.models import Channel
from channels.services import integration_user_bootstrap


class Command(BaseCommand):
    help = (
        "Create (or reuse) an integration user that is a member of the given channels, with the integration "
        "permissions, and print a new API token for it (shown once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--channel",
            dest="channels",
            action="append",
            type=int,
            required=True,
            help="Id of a channel the user may work on (repeat for several).",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--token-name", default="integration", help="Name of the token, to tell tokens apart.")
        parser.add_argument("--json", action="store_true", help='Print {"username", "channels", "token"} only.')

    def handle(self, *args, **options):
        wanted = sorted(set(options["channels"]))
        channels = list(Channel.objects.filter(pk__in=wanted).order_by("pk"))
        missing = sorted(set(wanted) - {channel.pk for channel in channels})
        if missing:
            raise CommandError(
                f"No channel with id {', '.join(map(str, missing))}; create it in the admin (/admin/) first."
            )
        user, key = integration_user_bootstrap(
            username=options["username"], channels=channels, token_name=options["token_name"], email=options["email"]
        )
        if options["json"]:
            self.stdout.write(json.dumps({"username": user.username, "channels": wanted, "token": key}))
            return
        self.stdout.write(self.style.SUCCESS(f"Integration user {user.username!r}, member of channels {wanted}."))
        self.stdout.write(f"  token: {key}")
        self.stdout.write("  Send it as 'Authorization: Token <token>'. It is not stored and is not shown again.")
