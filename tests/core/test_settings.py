"""Settings read the environment: production refuses to start without secrets or with malformed values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "STAGE",
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "AWS_LAMBDA_FUNCTION_NAME",
            "DEPLOYED_SETTINGS",
        }
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, s.STAGE)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


ON_LAMBDA = {"AWS_LAMBDA_FUNCTION_NAME": "serverless-django-prod"}  # Lambda sets it in every function


def test_production_without_secret_key_fails_loudly():
    result = _load_settings({"STAGE": "prod", "DATABASE_URL": "postgres://u@db/x", **ON_LAMBDA})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_without_database_url_fails_loudly():
    result = _load_settings({"STAGE": "prod", "SECRET_KEY": "x" * 60, **ON_LAMBDA})

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "yes please", "2"])
def test_malformed_boolean_is_rejected_by_name(value):
    result = _load_settings({"DEBUG": value})

    assert result.returncode != 0
    assert f"DEBUG={value!r} is not a boolean" in result.stderr


def test_deployed_settings_asked_for_off_lambda_still_demand_the_secrets():
    result = _load_settings(
        {"STAGE": "dev", "DEPLOYED_SETTINGS": "true", "DATABASE_URL": "postgres://u@db/x"}
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_a_stage_exported_to_a_tooling_command_runs_it_on_the_local_settings(stage):
    """`make undeploy STAGE=dev` exports STAGE=dev to `manage.py undeploy --stage dev`: off Lambda that
    names the command's target, so the process starts as it does without make (no secret asked for)."""
    result = _load_settings({"STAGE": stage})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "local"]


def test_unknown_stage_is_rejected_with_the_choices():
    result = _load_settings({"STAGE": "staging"})

    assert result.returncode != 0
    assert "STAGE='staging' must be one of: local, test, dev, prod" in result.stderr


def test_local_stage_starts_with_no_environment_at_all():
    result = _load_settings({})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "local"]


def test_check_deploy_reports_no_issues_with_production_environment():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "STAGE"} and not k.startswith("DJANGO_")}
    env.update(
        {
            "STAGE": "prod",
            "DEPLOYED_SETTINGS": "true",
            "SECRET_KEY": "k3y-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
            "DATABASE_URL": "sqlite:////tmp/check-deploy.sqlite3",
            "ALLOWED_HOSTS": "abc123.execute-api.us-east-1.amazonaws.com",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
