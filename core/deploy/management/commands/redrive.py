from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from core.aws.redrive import failures_list, failures_redrive
from core.contract.naming import stage_prefix


class Command(BaseCommand):
    help = (
        "Re-run the declared handlers on the failures waiting in the stage's on-failure and dead-letter "
        "queues (stream records re-read from the stream by shard and sequence range); a message is "
        "deleted only when its records succeed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stage", default=None, help="The deployed stage (e.g. dev); default: this process's resources."
        )
        parser.add_argument(
            "--list", dest="list_only", action="store_true", help="Only list the waiting failures."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Re-read the records but run no handler and delete nothing.",
        )
        parser.add_argument("--limit", type=int, default=100, help="At most this many messages per queue.")

    def handle(self, *args, stage, list_only, dry_run, limit, **options):
        if stage is not None and not stage.replace("-", "").isalnum():
            raise CommandError(f"Not a stage name: {stage!r}.")
        where = f"stage {stage} ({stage_prefix(stage)}*)" if stage else "this stage"
        if list_only:
            failures = failures_list(stage=stage, limit=limit)
            for failure in failures:
                self.stdout.write(f"{failure.queue}: {failure.summary} -> {failure.source.function}")
            return f"{len(failures)} failures waiting in {where}."
        outcomes = failures_redrive(stage=stage, dry_run=dry_run, limit=limit)
        for outcome in outcomes:
            self.stdout.write(
                f"{outcome.failure.queue}: {outcome.failure.summary}: {outcome.result} ({outcome.detail})"
            )
        counts = Counter(outcome.result for outcome in outcomes)
        summary = ", ".join(f"{n} {word}" for word, n in sorted(counts.items())) or "nothing waiting"
        line = f"Redrive of {where}: {summary}."
        if not dry_run and (counts["failed"] or counts["gone"] or counts["incomplete"]):
            self.stdout.write(line)
            raise CommandError(f"{sum(counts.values()) - counts['redriven']} failures are still waiting.")
        return line
