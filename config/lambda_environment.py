"""The function's environment, completed once per container before Django's settings load.

Secrets must reach the function from its first invocation, before anyone could set them on a
function that does not exist yet, and never sit in zappa_settings.json or the function's
configuration. On top of the function's own environment, in this order (a later one wins):

1. Zappa's ``remote_env`` (``REMOTE_ENV = "s3://bucket/key"``, a flat JSON object): Zappa's handler
   reads it only for the events it handles, so web requests, which never reach Zappa's handler
   (config.lambda_http), would run without it; here every event gets it;
2. the stage's variables Zappa wrote into the zip (``zappa_settings.ENVIRONMENT_VARIABLES``, plus
   ``STAGE``/``PROJECT``), over remote_env, as Zappa's own handler applies them;
3. SSM Parameter Store: when ``SECRETS_SSM_PATH`` is set (``/serverless-django/dev/``), every
   parameter under that path (SecureString decrypted) becomes the variable of its last name part:
   ``/serverless-django/dev/SECRET_KEY`` -> ``SECRET_KEY``.

SSM is the recommended store for secrets (docs/deploy.md): SecureStrings are
encrypted with KMS, readable per path through the role's policy (``manage.py iam_policy``) and
audited, while a remote_env file is plaintext JSON in a bucket. SSM is read with one signed HTTPS
call (config.ssm_secrets: boto3's import and client were ~90 % of that cost, bench/README.md), so
the HTTP path imports no boto3 either way; remote_env is read with boto3, which Lambda's Python
runtime ships, imported only when remote_env is configured.

A store that cannot be read stops the cold start with an error naming it (house rule: secrets
have no default and fail loudly). Standard library only at import.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

SSM_PATH_VARIABLE = "SECRETS_SSM_PATH"


class SecretsUnavailable(RuntimeError):
    """A configured store (SSM path, remote_env file) could not be read."""


def _settings_module() -> Any | None:
    try:
        import zappa_settings  # type: ignore[import-not-found]  # written into the zip by `zappa package`
    except ImportError:
        return None
    return zappa_settings


def _boto3_client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(connect_timeout=3, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return boto3.session.Session().client(service, region_name=region, config=config)


def remote_env(url: str) -> dict[str, str]:
    """The flat JSON object at ``s3://bucket/key`` (Zappa's remote_env file)."""
    bucket, _, key = url.removeprefix("s3://").partition("/")
    if not url.startswith("s3://") or not bucket or not key:
        raise SecretsUnavailable(f"remote_env {url!r} is not an s3://bucket/key URL.")
    try:
        body = _boto3_client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        values = json.loads(body)
    except Exception as exc:  # botocore's errors, bad JSON: the function must not start half-configured
        raise SecretsUnavailable(f"Could not read remote_env {url}: {exc}") from exc
    if not isinstance(values, dict):
        raise SecretsUnavailable(f"remote_env {url} is not a JSON object.")
    return {str(name): str(value) for name, value in values.items()}


def ssm_parameters(path: str) -> dict[str, str]:
    """Every parameter directly under ``path``, decrypted, by the last part of its name."""
    from config.ssm_secrets import SsmError, parameters_by_path

    prefix = path if path.endswith("/") else f"{path}/"
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    try:
        return parameters_by_path(prefix, region=region)
    except SsmError as exc:  # AccessDenied, throttling after retries, no route (a VPC without endpoint)
        raise SecretsUnavailable(f"Could not read the secrets under SSM path {prefix}: {exc}") from exc


def prepare() -> Any | None:
    """Complete ``os.environ`` once per container; returns the zip's ``zappa_settings`` module."""
    settings = _settings_module()
    # Once per settings module (tests install several in one process), else once per process.
    marker: Any = settings if settings is not None else sys.modules[__name__]
    if getattr(marker, "_environment_prepared", False):
        return settings
    if settings is not None:
        url = getattr(settings, "REMOTE_ENV", None)
        if url:
            os.environ.update(remote_env(url))
        os.environ["SERVERTYPE"] = "AWS Lambda"
        os.environ["FRAMEWORK"] = "Zappa"
        os.environ["PROJECT"] = settings.PROJECT_NAME
        os.environ["STAGE"] = settings.API_STAGE
        for key, value in (settings.ENVIRONMENT_VARIABLES or {}).items():
            os.environ[key] = value
        if settings.DJANGO_SETTINGS:
            os.environ["DJANGO_SETTINGS_MODULE"] = settings.DJANGO_SETTINGS
    path = os.environ.get(SSM_PATH_VARIABLE, "").strip()
    if path:
        os.environ.update(ssm_parameters(path))
    marker._environment_prepared = True
    return settings
