"""Settings read the environment: production refuses to start without secrets or with malformed values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(env: dict[str, str], names: str = "DEBUG STAGE") -> subprocess.CompletedProcess:
    """config.settings loaded in a fresh process with ``env``; it prints the settings ``names``."""
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
        [
            sys.executable,
            "-c",
            f"import config.settings as s; print(*(getattr(s, n) for n in {names.split()!r}))",
        ],
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


def test_an_apps_own_settings_read_the_same_environment_variables():
    result = _load_settings(
        {"TRACKER_MAX_ACTIVE_ORDERS": "3", "COUNTRIES_CODE_RATE": "2/min", "PRICES_EMAIL_DELIVERY": "email"},
        "TRACKER_MAX_ACTIVE_ORDERS COUNTRIES_CODE_RATE PRICES_EMAIL_DELIVERY SCRAPER_MAX_ACTIVE_RUNS",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "2/min", "email", "3"]


def test_an_apps_own_settings_keep_their_production_defaults_and_refuse_malformed_values():
    prod = {
        "STAGE": "prod",
        "DEPLOYED_SETTINGS": "true",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u@db/x",
    }

    result = _load_settings(prod, "TWILIO_AUTH_TOKEN MOVIES_PAGE_URL TWILIO_BASE_URL")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "None", "https://api.twilio.com"]  # secrets: no default

    malformed = _load_settings({**prod, "SCRAPER_MAX_RESTARTS": "many"}, "SCRAPER_MAX_RESTARTS")
    assert malformed.returncode != 0
    assert "SCRAPER_MAX_RESTARTS='many' is not a whole number" in malformed.stderr


def test_an_app_setting_that_shadows_another_stops_start_up(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from core.env import app_settings

    for app in ("kettles", "teapots"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
        (tmp_path / app / "conf.py").write_text(f"KETTLE_LIMIT = 3\n{app.upper()}_ONLY = 1\n")
    sys.path.insert(0, str(tmp_path))
    try:
        assert app_settings(tmp_path, ["kettles", "django.contrib.auth"]) == {
            "KETTLE_LIMIT": 3,
            "KETTLES_ONLY": 1,
        }
        with pytest.raises(
            ImproperlyConfigured, match="teapots/conf.py sets KETTLE_LIMIT, which kettles sets"
        ):
            app_settings(tmp_path, ["kettles", "teapots"])
        with pytest.raises(ImproperlyConfigured, match="sets KETTLES_ONLY, which config sets"):
            app_settings(tmp_path, ["kettles"], taken=["KETTLES_ONLY"])
    finally:
        sys.path.remove(str(tmp_path))
        for app in ("kettles", "teapots"):
            sys.modules.pop(app, None)
            sys.modules.pop(f"{app}.conf", None)


def test_a_postgresql_connection_starts_in_utc_without_a_set_time_zone_query():
    """Django sends ``SET TIME ZONE`` on every new connection whose server zone is not named "UTC"
    (e.g. "Etc/UTC"); the zone goes in libpq's startup options instead (one round trip less per cold start)."""
    result = _load_settings(
        {"STAGE": "local", "DATABASE_URL": "postgres://u@db:5432/x?options=-c%20statement_timeout%3D5000"},
        "DATABASES",
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "'options': '-c statement_timeout=5000 -c TimeZone=UTC'" in result.stdout


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs DATABASE_URL=postgres://..."
)
@pytest.mark.django_db
def test_on_postgresql_django_finds_the_session_already_in_utc():
    from django.db import connection

    connection.ensure_connection()

    assert connection.connection.info.parameter_status("TimeZone") == "UTC"
    assert connection._configure_timezone(connection.connection) is False
