from django.core.management.base import BaseCommand, CommandError

from core.aws import client
from core.deploy.undeploy import UndeployIncomplete, stage_undeploy


class Command(BaseCommand):
    help = (
        "Remove a deployed stage: its event source mappings, then `zappa undeploy` (API, schedule rules, "
        "function), then anything left; fails naming whatever is still there. Data stays."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stage", required=True, help="The deployed stage to remove (e.g. dev).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation (scripts, CI).")
        parser.add_argument("--remove-logs", action="store_true", help="Also delete the function's logs.")

    def handle(self, *args, stage, yes, remove_logs, **options):
        if not yes:
            answer = input(f"This removes the deployed stage {stage} (its data stays). Type 'yes': ")
            if answer.strip().lower() != "yes":
                return "Cancelled: nothing was removed."
        try:
            outcomes = stage_undeploy(stage=stage, clients=client, remove_logs=remove_logs)
        except UndeployIncomplete as exc:
            raise CommandError(str(exc)) from exc
        for kind, name, outcome in outcomes:
            self.stdout.write(f"{kind} {name}: {outcome}")
        return f"Stage {stage} undeployed: no function, mapping, rule or API of it is left."
