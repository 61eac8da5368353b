from django.core.management.base import BaseCommand, CommandError

from tracker import services


class Command(BaseCommand):
    help = (
        "Poll every actively tracked Domino's order once by the run's deadline (or fan the orders out in "
        "shards over the poll-shards queue), record stage changes and send the texts due."
    )

    def handle(self, *args, **options):
        try:
            result = services.orders_poll_fan_out()
        except Exception as exc:  # the database or DynamoDB is down: one line, non-zero exit
            raise CommandError(f"The poll run failed: {type(exc).__name__}: {exc}") from exc
        if isinstance(result, services.PollSummary) and result.skipped:
            self.stdout.write(f"{result.skipped} orders are being polled by another run; skipped.")
        return result.line()
