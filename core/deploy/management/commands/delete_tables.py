import sys

from django.core.management.base import BaseCommand, CommandError

from core.deploy.outcomes import write_outcomes
from core.deploy.provisioning import tables_delete


class Command(BaseCommand):
    help = "Delete every app's DynamoDB table (and all its items) and wait until it is gone."

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation (scripts, CI).")

    def handle(self, *args, **options):
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("Pass --yes to delete the tables without a prompt.")
            answer = input("This deletes every DynamoDB table of this stage and its data. Type 'yes': ")
            if answer.strip().lower() != "yes":
                return "Cancelled: no table was deleted."
        return write_outcomes(self, tables_delete())
