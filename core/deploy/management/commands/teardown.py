from django.core.management.base import BaseCommand, CommandError

from core.aws import client
from core.deploy.teardown import KEY_DELETION_DAYS, TeardownIncomplete, stage_teardown


class Command(BaseCommand):
    help = (
        "Remove everything of a stage: the deployment, then its streams, topics, queues, keys, log groups, role "
        "policy, deploy bucket and SSM parameters (core/deploy/teardown.py); tables only with --delete-data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stage", required=True, help="The stage to remove (e.g. dev).")
        parser.add_argument(
            "--confirm",
            metavar="STAGE",
            help="The stage's name again, instead of typing it when asked (scripts, CI).",
        )
        parser.add_argument(
            "--delete-data",
            action="store_true",
            help="Also delete the stage's DynamoDB tables: every user's hot data, for good.",
        )
        parser.add_argument(
            "--settings-file",
            help="The Zappa settings file the stage was deployed with (default: zappa_settings.json).",
        )

    def handle(self, *args, stage, confirm, delete_data, settings_file, **options):
        what = "and its DynamoDB tables (users' data)" if delete_data else "(its DynamoDB tables stay)"
        if confirm is None:
            confirm = input(
                f"This removes every resource of the stage {stage} {what}; its KMS keys are deleted in "
                f"{KEY_DELETION_DAYS} days. Type the stage's name to go on: "
            ).strip()
        if confirm != stage:
            raise CommandError(f"Not confirmed ({confirm!r} is not {stage!r}): nothing was removed.")
        try:
            outcomes = stage_teardown(
                stage=stage, clients=client, delete_data=delete_data, settings_file=settings_file
            )
        except TeardownIncomplete as exc:
            raise CommandError(str(exc)) from exc
        for kind, name, outcome in outcomes:
            self.stdout.write(f"{kind} {name}: {outcome}")
        kept = "" if delete_data else " Its DynamoDB tables stay (--delete-data removes them)."
        return f"Stage {stage} torn down: nothing it created is left.{kept}"
