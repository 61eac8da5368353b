from django.core.management.base import BaseCommand

from core.deploy.outcomes import write_outcomes
from core.deploy.provisioning import tables_create


class Command(BaseCommand):
    help = "Create every app's DynamoDB table that is missing and wait until it is ACTIVE."

    def handle(self, *args, **options):
        return write_outcomes(self, tables_create())
