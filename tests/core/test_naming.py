"""One naming rule and one ARN parser for every resource of a stage."""

import pytest

from core.contract.naming import dead_letter_name, function_name, parse_arn, resource_name, stage_prefix

LIVE_STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/serverless-django-test-things/stream/2031-05-17T08:09:10.111"


@pytest.mark.parametrize(
    ("arn", "parsed"),
    [
        (LIVE_STREAM_ARN, ("dynamodb", "us-east-1", "serverless-django-test-things")),
        ("arn:aws:dynamodb:eu-west-1:1:table/days", ("dynamodb", "eu-west-1", "days")),
        ("arn:aws:kinesis:us-east-1:1:stream/rows", ("kinesis", "us-east-1", "rows")),
        ("arn:aws:sqs:us-east-1:1:jobs", ("sqs", "us-east-1", "jobs")),
        ("arn:aws:sns:us-east-1:1:topic", None),
        ("arn:aws:dynamodb:us-east-1:1:backup/x", None),
        ("not an arn", None),
        (None, None),
    ],
)
def test_it_reduces_an_arn_to_service_region_and_name(arn, parsed):
    assert parse_arn(arn) == parsed


def test_every_name_of_a_stage_carries_its_prefix(settings):
    assert stage_prefix("dev") == "serverless-django-dev-"
    assert resource_name("routine-days", stage="prod") == "serverless-django-prod-routine-days"
    assert resource_name("routine-days") == "serverless-django-test-routine-days"  # this process: STAGE=test
    assert dead_letter_name("serverless-django-dev-jobs") == "serverless-django-dev-jobs-dlq"
    assert function_name("dev") == "serverless-django-dev"


def test_the_prefix_setting_moves_every_name_at_once(settings):
    settings.AWS_RESOURCE_PREFIX = "serverless-django-dev-"

    assert resource_name("sessions") == "serverless-django-dev-sessions"
