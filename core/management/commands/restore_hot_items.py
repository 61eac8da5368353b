from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild each app's hot DynamoDB items from the relational store (after the emulator restarts or a table is lost)."

    def handle(self, *args, **options):
        lines = [
            f"{config.label}: {config.restore_hot_items()}"
            for config in apps.get_app_configs()
            if callable(getattr(config, "restore_hot_items", None))
        ]
        for line in lines:
            self.stdout.write(line)
        return f"Restored hot items of {len(lines)} apps." if lines else "No app keeps rebuildable hot items."
