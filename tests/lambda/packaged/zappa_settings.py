"""Test-only: the shipped zappa_settings plus routes to fixture handlers (SQS and Kinesis have no
product handler yet). Lives beside the unzipped package, never in the zip."""

import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "_shipped_zappa_settings", os.path.join(os.getcwd(), "zappa_settings.py")
)
_shipped = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shipped)
globals().update({k: v for k, v in vars(_shipped).items() if k.isupper()})
AWS_EVENT_MAPPING = dict(
    _shipped.AWS_EVENT_MAPPING,
    **{
        "arn:aws:sqs:us-east-1:000000000000:serverless-django-dev-fixture-jobs": [
            "lambda_fixtures.fail_on_poison"
        ],
        "arn:aws:kinesis:us-east-1:000000000000:stream/serverless-django-dev-fixture-rows": [
            "lambda_fixtures.fail_on_poison"
        ],
    },
)
