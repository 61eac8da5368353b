from django.core.management.base import BaseCommand

from core.contract.registry import hot_item_restorers


class Command(BaseCommand):
    help = "Rebuild each app's hot DynamoDB items from the relational store (after the emulator restarts or a table is lost)."

    def handle(self, *args, **options):
        lines = [f"{config.label}: {restore()}" for config, restore in hot_item_restorers()]
        for line in lines:
            self.stdout.write(line)
        return f"Restored hot items of {len(lines)} apps." if lines else "No app keeps rebuildable hot items."
