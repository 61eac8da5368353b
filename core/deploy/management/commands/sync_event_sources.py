from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from core.aws import client
from core.deploy.event_sources import MappingError, sync_mappings


class Command(BaseCommand):
    help = (
        "Create or fix the stage's Lambda event source mappings (StartingPosition, ReportBatchItemFailures, "
        "bounded retries, on-failure queue) from the apps' declarations, as Zappa's post-deploy callback does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stage", required=True, help="The deployed stage to reconcile (e.g. dev).")

    def handle(self, *args, stage, **options):
        try:
            outcomes = sync_mappings(stage=stage, clients=client)
        except MappingError as exc:
            raise CommandError(str(exc)) from exc
        for kind, name, outcome in outcomes:
            self.stdout.write(f"{kind} {name}: {outcome}")
        counts = Counter(outcome for _, _, outcome in outcomes)
        summary = ", ".join(f"{n} {word}" for word, n in sorted(counts.items()))
        return f"Event source mappings of {stage}: {summary or 'none declared'}."
