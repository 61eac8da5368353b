from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from countries import services


class Command(BaseCommand):
    help = (
        "Move on every fetch request past its deadline: send the pending ones to the queue, send again "
        "the ones queued, retrying or fetching for too long, fail those sent too often with the reason."
    )

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
        return services.fetch_requests_sweep(
            pending_older_than=timedelta(seconds=options["older_than"]), limit=options["limit"]
        ).line()
