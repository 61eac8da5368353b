import json

from django.core.management.base import BaseCommand

from core.deploy.iam import deployer_policy, policy_document, role_arn, trust_policy

PARTS = ("permissions", "trust", "deployer")


class Command(BaseCommand):
    help = (
        "Print the IAM documents of a stage: the least-privilege policy its existing Lambda role needs, the "
        "role's trust policy, and the iam:PassRole the deployer needs (--part for one JSON document)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stage", required=True, help="The deployed stage (names: serverless-django-<stage>-...)."
        )
        parser.add_argument("--account", help="AWS account id (default: the caller's, from STS).")
        parser.add_argument("--part", choices=PARTS, help="Print only this document, as bare JSON.")
        parser.add_argument(
            "--vpc",
            action="store_true",
            default=None,
            help="Add the network-interface permissions a function in a VPC needs (default: when the "
            "stage has a vpc_config).",
        )

    def handle(self, *args, stage, account, part, vpc, **options):
        if not account:
            from core.aws import account_id

            account = account_id()
        documents = {
            "permissions": policy_document(stage=stage, account=account, vpc=vpc),
            "trust": trust_policy(),
            "deployer": deployer_policy(stage=stage, account=account),
        }
        if part:
            self.stdout.write(json.dumps(documents[part], indent=2))
            return
        role = role_arn(stage=stage, account=account)
        self.stdout.write(f"# 1. Permissions policy of the role {role} (an inline policy of the role):")
        self.stdout.write(json.dumps(documents["permissions"], indent=2))
        self.stdout.write("# 2. Trust policy of the role (Lambda may assume it):")
        self.stdout.write(json.dumps(documents["trust"], indent=2))
        self.stdout.write(
            "# 3. The deployer (whoever runs `zappa deploy`) needs iam:PassRole on the role, beside Zappa's "
            "own permissions:"
        )
        self.stdout.write(json.dumps(documents["deployer"], indent=2))
