import contextlib
from collections.abc import Iterator

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from core.contract.naming import stage_prefix
from core.deploy.outcomes import write_outcomes
from core.deploy.provisioning import aws_provision


@contextlib.contextmanager
def stage_names(stage: str) -> Iterator[None]:
    """Every resource name of ``stage`` for the block: the prefix (queues, topics, streams, keys) and
    each model's table, which PynamoDB fixes when the model class is built (core.aws.dynamo)."""
    from core.contract.registry import dynamo_models

    models = dynamo_models()
    saved = [(model, model.Meta.table_name) for model in models]
    prefix = stage_prefix(stage)
    try:
        with override_settings(AWS_RESOURCE_PREFIX=prefix):
            for model in models:
                model.Meta.table_name = f"{prefix}{model.Meta.table_suffix}"
                model._connection = None
            yield
    finally:
        for model, name in saved:
            model.Meta.table_name = name
            model._connection = None


class Command(BaseCommand):
    help = (
        "Create every DynamoDB table, SQS queue (with its dead-letter queue), SNS topic, Kinesis stream and "
        "KMS key the apps declare (of --stage, else of this process's AWS_RESOURCE_PREFIX)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stage", help="The stage whose resources to create (e.g. dev: serverless-django-dev-...)."
        )

    def handle(self, *args, stage=None, **options):
        if not stage:
            return write_outcomes(self, aws_provision())
        with stage_names(stage):
            return write_outcomes(self, aws_provision())
