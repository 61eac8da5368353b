import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from core.services import demo_user_ensure


class Command(BaseCommand):
    help = "Create (or reset) the demo user and load each app's sample data for it."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-pass-2026")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="Where the product is served."
        )

    def handle(self, *args, **options):
        user, created = demo_user_ensure(username=options["username"], password=options["password"])
        loaded = []
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            loaded.append(f"{config.label}: {module.load_demo(user=user)}")
        for line in loaded:
            self.stdout.write(line)
        verb = "Created" if created else "Reset"
        return (
            f"{verb} the demo user. Log in at {options['base_url'].rstrip('/')}/account/login/ "
            f"as {options['username']} / {options['password']}"
        )
