"""The function's environment at cold start: SSM secrets and Zappa's remote_env reach every event.

A fresh process per cold start is what tests/lambda/test_package.py and tests/deploy/ run; here the
loader runs in-process against the emulator with a ``zappa_settings`` module installed as the zip has one.
"""

import json
import os
import sys
import types

import pytest

from config import lambda_environment
from core.aws import client
from tests.zappa_state import zappa_state_restored

pytestmark = pytest.mark.usefixtures("aws")


@pytest.fixture
def zip_settings(monkeypatch):
    """A ``zappa_settings`` module as ``zappa package`` writes it; the environment is restored after."""
    saved = dict(os.environ)

    def install(**extra):
        module = types.ModuleType("zappa_settings")
        module.__dict__.update(
            PROJECT_NAME="serverless-django",
            API_STAGE="test",
            ENVIRONMENT_VARIABLES={"FROM_THE_ZIP": "zip"},
            DJANGO_SETTINGS="tests.settings",
            **extra,
        )
        sys.modules["zappa_settings"] = module
        return module

    with zappa_state_restored():
        yield install
    os.environ.clear()
    os.environ.update(saved)


def _remote_env_file(values):
    s3 = client("s3")
    s3.create_bucket(Bucket="alice-settings")
    s3.put_object(Bucket="alice-settings", Key="dev.json", Body=json.dumps(values).encode())
    return "s3://alice-settings/dev.json"


def test_the_secrets_under_the_ssm_path_become_the_environment(zip_settings, monkeypatch):
    ssm = client("ssm")
    ssm.put_parameter(Name="/serverless-django/alice/SECRET_KEY", Value="from-ssm", Type="SecureString")
    ssm.put_parameter(Name="/serverless-django/alice/DATABASE_URL", Value="sqlite:///x", Type="SecureString")
    ssm.put_parameter(Name="/serverless-django/bob/SECRET_KEY", Value="not-alices", Type="SecureString")
    monkeypatch.setenv("SECRETS_SSM_PATH", "/serverless-django/alice/")
    zip_settings()

    lambda_environment.prepare()

    assert os.environ["SECRET_KEY"] == "from-ssm"
    assert os.environ["DATABASE_URL"] == "sqlite:///x"
    assert os.environ["FROM_THE_ZIP"] == "zip"


def test_an_unreadable_ssm_path_stops_the_cold_start_naming_it(zip_settings, monkeypatch):
    monkeypatch.setenv("SECRETS_SSM_PATH", "/serverless-django/alice/")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing answers there
    zip_settings()

    with pytest.raises(lambda_environment.SecretsUnavailable, match="/serverless-django/alice/"):
        lambda_environment.prepare()


def test_remote_env_reaches_a_web_request(zip_settings, sample_event):
    """Zappa reads remote_env only in its own handler; web requests go to config.lambda_http."""
    zip_settings(REMOTE_ENV=_remote_env_file({"ALICE_REMOTE": "from-s3", "FROM_THE_ZIP": "remote"}))
    from config.lambda_entry import handler

    response = handler(sample_event("apigw-rest-v1-get"), None)

    assert "statusCode" in response
    assert os.environ["ALICE_REMOTE"] == "from-s3"
    assert os.environ["FROM_THE_ZIP"] == "zip"  # the zip's variables win over remote_env, as in Zappa


def test_without_a_store_the_environment_is_only_the_zips(zip_settings, monkeypatch):
    monkeypatch.delenv("SECRETS_SSM_PATH", raising=False)
    zip_settings()

    lambda_environment.prepare()

    assert os.environ["FROM_THE_ZIP"] == "zip"
    assert os.environ["STAGE"] == "test"
