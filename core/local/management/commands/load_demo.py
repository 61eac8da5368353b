from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.contract.registry import demo_loaders
from core.local.demo import demo_user_ensure


class Command(BaseCommand):
    help = "Create (or reset) the local demo user, an admin, and load each app's sample data for it."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-pass-2026")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="Where the product is served."
        )

    def handle(self, *args, **options):
        if settings.STAGE not in ("local", "test"):
            raise CommandError(
                f"load_demo creates an admin with a published password: it runs on the local and test "
                f"stages only, not on {settings.STAGE!r}."
            )
        user, created = demo_user_ensure(username=options["username"], password=options["password"])
        for config, load in demo_loaders():
            self.stdout.write(f"{config.label}: {load(user=user)}")
        verb = "Created" if created else "Reset"
        return (
            f"{verb} the demo user. Log in at {options['base_url'].rstrip('/')}/account/login/ "
            f"as {options['username']} / {options['password']}"
        )
