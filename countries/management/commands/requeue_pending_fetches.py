from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from countries import services


class Command(BaseCommand):
    help = "Send the fetch requests still pending (SQS was unreachable when they were made) to the queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="SECONDS",
            help="Only requests pending at least this long (default 10; a younger one may be being sent).",
        )
        parser.add_argument("--limit", type=int, default=500, help="At most this many per run (default 500).")

    def handle(self, *args, **options):
        if options["older_than"] < 0 or options["limit"] < 1:
            raise CommandError("--older-than must be 0 or more and --limit at least 1.")
        sent, left = services.fetch_requests_requeue_pending(
            older_than=timedelta(seconds=options["older_than"]), limit=options["limit"]
        )
        summary = f"Requeued {sent} pending fetches; {left} still pending."
        if left and not sent:
            summary += " The queue is still unreachable."
        return summary
