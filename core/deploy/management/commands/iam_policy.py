import json

from django.core.management.base import BaseCommand

from core.deploy.iam import policy_document


class Command(BaseCommand):
    help = "Print the least-privilege IAM policy (JSON) the stage's existing Lambda role needs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stage", required=True, help="The deployed stage (names: serverless-django-<stage>-...)."
        )
        parser.add_argument("--account", help="AWS account id (default: the caller's, from STS).")

    def handle(self, *args, stage, account, **options):
        if not account:
            from core.aws import account_id

            account = account_id()
        self.stdout.write(json.dumps(policy_document(stage=stage, account=account), indent=2))
