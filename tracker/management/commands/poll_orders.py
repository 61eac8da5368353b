from django.core.management.base import BaseCommand, CommandError

from tracker import services


class Command(BaseCommand):
    help = "Poll every actively tracked Domino's order once, record stage changes and send the texts due."

    def handle(self, *args, **options):
        try:
            summary = services.orders_poll()
        except Exception as exc:  # the database or DynamoDB is down: one line, non-zero exit
            raise CommandError(f"The poll run failed: {type(exc).__name__}: {exc}") from exc
        if summary.skipped:
            self.stdout.write(f"{summary.skipped} orders are being polled by another run; skipped.")
        return summary.line()
