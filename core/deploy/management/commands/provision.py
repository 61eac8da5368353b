from django.core.management.base import BaseCommand

from core.deploy.outcomes import write_outcomes
from core.deploy.provisioning import aws_provision


class Command(BaseCommand):
    help = "Create every DynamoDB table, SQS queue (with its dead-letter queue), SNS topic and Kinesis stream the apps declare."

    def handle(self, *args, **options):
        return write_outcomes(self, aws_provision())
