from django.core.management.base import BaseCommand, CommandError

from prices import services


class Command(BaseCommand):
    help = (
        "Fetch the weekly NY gasoline prices by region, store new weeks and write each region's latest price."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backfill",
            type=int,
            metavar="N",
            help=f"Fetch the newest N weeks (1-{services.MAX_BACKFILL}) whatever is stored; "
            "default: only the weeks after the newest stored one.",
        )

    def handle(self, *args, **options):
        backfill = options["backfill"]
        self.stderr.write(
            f"Fetching the newest {backfill} weeks..."
            if backfill
            else "Fetching the weeks after the newest stored one..."
        )
        try:
            fetch = services.price_fetch_run(backfill=backfill)
        except services.PriceFetchFailed as exc:
            raise CommandError(str(exc)) from exc
        return services.price_fetch_summary(fetch)
