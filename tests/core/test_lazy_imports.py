"""What an API request's cold start leaves out, checked in a fresh interpreter (never timed).

drf-spectacular loads only when a schema is built, and then the schema keeps every annotation;
DRF's compat module skips requests and yaml, which import normally afterwards.
"""

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

API_REQUEST_THEN_SCHEMA = """
import json, sys
import django
from config.lambda_http import import_drf_compat_without_extras
import_drf_compat_without_extras()
django.setup()
from django.test import Client
from django.urls import resolve
resolve("/api/routines/")  # builds the whole URL map, as the first request does
report = {"spectacular_before": sorted(m for m in sys.modules if m.startswith("drf_spectacular.") and
                                       m not in ("drf_spectacular.utils", "drf_spectacular.types",
                                                 "drf_spectacular.drainage", "drf_spectacular.apps",
                                                 "drf_spectacular.checks"))}
report["aws_sdk_before"] = sorted(m for m in ("pynamodb", "botocore", "boto3") if m in sys.modules)
import rest_framework.compat, yaml, requests
report["compat"] = [rest_framework.compat.yaml is None, rest_framework.compat.requests is None]
report["yaml_usable"] = bool(yaml.safe_dump({"a": 1}))
report["psycopg"] = "psycopg" in sys.modules or "psycopg2" in sys.modules
report["postgres_fields"] = rest_framework.compat.postgres_fields is None
report["contrib_postgres"] = sorted(m for m in sys.modules if m.startswith("django.contrib.postgres"))
schema = Client().get("/api/schema/", {"format": "json"})
report["status"] = schema.status_code
report["schema"] = schema.json()
yaml_schema = Client().get("/api/schema/")
report["yaml_schema"] = yaml_schema.content.decode()[:20]
print(json.dumps(report))
"""


def _run(code: str, database_url: str = "sqlite:///:memory:") -> dict:
    env = {
        "PATH": os.environ["PATH"],
        "STAGE": "local",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_api_request_loads_no_schema_machinery_and_the_schema_still_has_every_annotation():
    report = _run(API_REQUEST_THEN_SCHEMA)

    assert report["spectacular_before"] == []
    assert report["status"] == 200
    paths = report["schema"]["paths"]
    assert "/api/routines/{routine_pk}/items/" in paths
    create = paths["/api/routines/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/RoutineCreate")
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Routine")
    assert paths["/api/me/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "$ref"
    ].endswith("/Me")
    assert report["yaml_schema"].startswith("openapi: 3")


def test_building_the_url_map_imports_no_aws_sdk():
    report = _run(API_REQUEST_THEN_SCHEMA)

    assert report["aws_sdk_before"] == []


def test_drf_compat_skips_requests_and_yaml_which_still_import_afterwards():
    report = _run(API_REQUEST_THEN_SCHEMA)

    assert report["compat"] == [True, True]
    assert report["yaml_usable"] is True


def test_on_sqlite_drf_compat_leaves_psycopg_unloaded():
    report = _run(API_REQUEST_THEN_SCHEMA)

    assert report["psycopg"] is False
    assert report["postgres_fields"] is True


def test_the_first_lambda_request_pauses_the_collector_and_leaves_it_running(monkeypatch):
    from config import lambda_http

    seen = []
    monkeypatch.setattr(lambda_http, "_application", None)
    monkeypatch.setattr(lambda_http, "_handle", lambda event, context: seen.append(gc.isenabled()))

    lambda_http.handle({}, None)

    assert seen == [False]
    assert gc.isenabled()


def test_on_postgresql_drf_compat_leaves_django_contrib_postgres_unloaded():
    """No model has a PostgreSQL-only field, so the cold start need not import contrib.postgres (issue 20:
    the PostgreSQL cold start was over its budget)."""
    report = _run(API_REQUEST_THEN_SCHEMA, "postgres://nobody@127.0.0.1:1/unused")  # never connects

    assert report["status"] == 200
    assert report["postgres_fields"] is True
    assert report["contrib_postgres"] == []


LAMBDA_APPLICATION_THEN_SQL_SCRIPT = """
import json, sys
from config import lambda_http
lambda_http.application()
from django.test import Client
status = Client().get("/api/", HTTP_ACCEPT="application/json").status_code
report = {"status": status, "loaded_after_request": sorted(
    m for m in ("sqlparse.keywords", "multiprocessing.context", "uritemplate", "inflection") if m in sys.modules)}
import rest_framework.compat
report["compat"] = [rest_framework.compat.uritemplate is None, rest_framework.compat.inflection is None]
import uritemplate
report["uritemplate_usable"] = uritemplate.variables("/api/{pk}/") == {"pk"}
from django.db import connection
report["script"] = connection.ops.prepare_sql_script("select 1; -- note\\nselect 2;")
import multiprocessing, sqlparse.tokens
report["start_method"] = multiprocessing.get_start_method() in ("fork", "spawn", "forkserver")
report["same_module"] = sys.modules["sqlparse"].format is sqlparse.format
print(json.dumps(report))
"""


def test_a_lambda_request_leaves_sqlparse_and_multiprocessing_unloaded_and_they_load_on_first_use():
    report = _run(LAMBDA_APPLICATION_THEN_SQL_SCRIPT)

    assert report["status"] == 200
    assert report["loaded_after_request"] == []
    assert report["script"] == ["select 1;", "select 2;"]
    assert report["start_method"] is True
    assert report["same_module"] is True


def test_drf_compat_skips_uritemplate_and_inflection_which_still_import_afterwards():
    report = _run(LAMBDA_APPLICATION_THEN_SQL_SCRIPT)

    assert report["compat"] == [True, True]
    assert report["uritemplate_usable"] is True
