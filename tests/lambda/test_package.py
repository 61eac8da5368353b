"""The packaged zip, unzipped read-only and run by a fresh interpreter with nothing else on its path.

The zip is built once per session with ``make package STAGE=dev`` (set LAMBDA_PACKAGE_ZIP to reuse
one) and run by the interpreter of the function's runtime (python3.13, core.deploy.runtime), not by
the test suite's own. boto3/botocore/s3transfer are not in the zip (Lambda's runtime provides them), so they sit in
a separate directory standing in for /var/runtime. The test's own set-up function sits beside the
package (tests/lambda/packaged/), never inside it.
"""

import base64
import json
import os
import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from core.deploy import runtime
from tests import emulator, packaging
from tests.support.net import serving

# The first test builds the zip (`make package`, minutes on a busy 2-core machine).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PACKAGE_VENV_SITE = runtime.venv_site_packages(runtime.package_venv(ROOT))
FIXTURE_FUNCTIONS = (
    "set_up_alice",
    "set_up_scrape_run",
    "scrape_run_state",
    "set_up_fetch_request",
    "use_upstream",
    "fetch_request_state",
    "set_up_tracked_order",
    "tracked_order_state",
    "prices_state",
    "set_up_price_alert",
    "drop_database_connection",
    "set_up_hanging_orders",
    "tracked_orders_state",
    "stop_all_orders",
)


@pytest.fixture(scope="session")
def package_zip():
    return packaging.package_zip()


@pytest.fixture(scope="session")
def lambda_world(package_zip, tmp_path_factory):
    base = tmp_path_factory.mktemp("lambda")
    package = base / "var-task"
    with zipfile.ZipFile(package_zip) as archive:
        archive.extractall(package)
    for path in [*package.rglob("*"), package]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    runtime = base / "var-runtime"
    for name in ("boto3", "botocore", "s3transfer"):
        shutil.copytree(
            PACKAGE_VENV_SITE / name, runtime / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    fixtures = base / "fixtures"
    fixtures.mkdir()
    shutil.copy(HERE / "packaged" / "lambda_fixtures.py", fixtures / "lambda_fixtures.py")
    world = {"base": base, "package": package, "runtime": runtime, "fixtures": fixtures}
    world["files_before"] = sorted(str(p) for p in package.rglob("*"))
    first = _invoke(world, [{"manage": "migrate --noinput"}, {"command": "lambda_fixtures.set_up_alice"}])
    assert "error" not in first[0], first[0]
    world["alice"] = first[1]["result"]
    return world


def _invoke(world, events, *, provision=None, env=None):
    """Run events in one fresh process; ``provision`` the stage's resources first when the emulator was
    reset since they were last provisioned (tests/emulator.py: between tests it is only emptied), or
    when True; ``env`` adds variables to the function's environment."""
    if provision is None:
        provision = world.get("provisioned_generation") != emulator.Emulator.generation
    base = world["base"]
    events_path, results_path = base / "events.json", base / "results.json"
    setup = [{"manage": "provision"}] if provision else []
    events_path.write_text(json.dumps([*setup, *events]))
    env = {
        "PATH": "/usr/bin:/bin",
        "STAGE": "dev",
        "SECRET_KEY": "packaged-test-secret",
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "ALLOWED_HOSTS": ".execute-api.us-east-1.amazonaws.com,.elb.amazonaws.com",
        "AWS_ENDPOINT_URL": os.environ["AWS_ENDPOINT_URL"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        # The test's set-up functions beside the package: `{"command": ...}` runs only listed ones.
        "LAMBDA_ALLOWED_FUNCTIONS": ",".join(f"lambda_fixtures.{name}" for name in FIXTURE_FUNCTIONS),
        # provision is not allowed on a deployed stage (its role may not create resources): the test's
        # function provisions its own emulated stage.
        "LAMBDA_ALLOWED_COMMANDS": ",".join([*settings.LAMBDA_ALLOWED_COMMANDS, "provision"]),
        **(env or {}),
    }
    argv = [runtime.runtime_python(), "-I", "-S", "-B", str(HERE / "packaged" / "driver.py")]
    argv += [
        str(world["package"]),
        str(world["runtime"]),
        str(world["fixtures"]),
        str(events_path),
        str(results_path),
    ]
    completed = subprocess.run(argv, env=env, cwd=base, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads(results_path.read_text())
    world["last_report"] = results[-1]
    if provision:
        assert "error" not in results[0], results[0]
        world["provisioned_generation"] = emulator.Emulator.generation
    return results[len(setup) : -1]


@pytest.fixture
def invoke(lambda_world):
    return lambda events: _invoke(lambda_world, events)


@pytest.fixture
def token_headers(lambda_world):
    return {"Authorization": f"Token {lambda_world['alice']['token']}"}


def _v1(sample_event, name, headers, **changes):
    event = sample_event(name)
    event["headers"].update(headers)
    for key, value in headers.items():
        event["multiValueHeaders"][key] = [value]
    event.update(changes)
    return event


def test_the_package_holds_no_tool_cache_or_test_tree(lambda_world):
    top = {path.name for path in lambda_world["package"].iterdir()}

    assert not {name for name in top if name.startswith(".")}, "hidden folders (tool caches) were packaged"
    assert not top & {"tests", "bench", "build", "node_modules"}


def test_the_package_holds_no_local_data_and_only_the_checkouts_files_of_the_project(lambda_world):
    """Whatever the working tree held when it was built (a database and its WAL after `make run`,
    the emulator's journal, .env): only tracked files of the project, dependencies and generated
    files (core/deploy/packaging_zip.py; tests/core/test_package_selection.py runs it on a
    checkout where the product ran)."""
    from core.deploy.packaging_zip import GENERATED, ZAPPA_FILES, local_data

    package = lambda_world["package"]
    files = [path.relative_to(package).as_posix() for path in package.rglob("*") if path.is_file()]
    assert local_data(files) == []
    tracked = set(
        subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    )
    project = {name.split("/", 1)[0] for name in tracked}
    untracked = [
        name
        for name in files
        if name.split("/", 1)[0] in project
        and name.split("/", 1)[0] not in GENERATED | ZAPPA_FILES
        and "__pycache__" not in name
        and name not in tracked
    ]
    assert untracked == []


def test_the_packages_native_code_is_for_the_declared_architecture(package_zip):
    from core.deploy import guards

    with zipfile.ZipFile(package_zip) as archive:
        native = [name for name in archive.namelist() if re.search(r"\.so(\.[\d.]+)?$", name)]

    assert any("psycopg2" in name for name in native), native  # the database driver is native
    assert guards.native_mismatches(package_zip, architecture=runtime.architecture()) == []


def test_the_package_runs_with_nothing_but_itself_and_the_lambda_runtime(invoke, lambda_world):
    invoke([])
    report = lambda_world["last_report"]
    assert report["python"][:2] == list(runtime.version_of(runtime.runtime()))
    assert report["dev_tools_importable"] is False
    assert not any("site-packages" in entry for entry in report["sys_path"])
    assert sorted(str(p) for p in lambda_world["package"].rglob("*")) == lambda_world["files_before"]


def test_a_rest_v1_get_with_query_and_cookies_reads_the_database(invoke, sample_event, token_headers):
    event = _v1(
        sample_event,
        "apigw-rest-v1-get",
        token_headers,
        path="/api/routines/",
        # Other tests add routines to the same packaged database: read alice's Morning by name.
        queryStringParameters={"page": "1", "name": "morn"},
        multiValueQueryStringParameters={"page": ["1"], "name": ["morn"]},
    )

    (response,) = invoke([event])

    body = json.loads(response["result"]["body"])
    assert response["result"]["statusCode"] == 200, body
    assert [r["name"] for r in body["results"]] == ["Morning"]


def test_a_rest_v1_post_with_a_json_body_creates_a_routine(invoke, sample_event, token_headers):
    event = _v1(
        sample_event,
        "apigw-rest-v1-post-json",
        token_headers,
        path="/api/routines/",
        body='{"name": "Evening"}',
    )

    (response,) = invoke([event])

    assert response["result"]["statusCode"] == 201, response
    assert json.loads(response["result"]["body"])["name"] == "Evening"


def test_an_http_api_v2_get_with_cookies_and_query(invoke, sample_event, token_headers):
    event = sample_event("apigw-http-v2-get")
    event["headers"].update({k.lower(): v for k, v in token_headers.items()})
    event["rawPath"] = "/api/routines/"
    event["rawQueryString"] = "name=morn"

    (response,) = invoke([event])

    assert response["result"]["statusCode"] == 200, response
    assert [r["name"] for r in json.loads(response["result"]["body"])["results"]] == ["Morning"]


def test_an_alb_request_gets_the_login_page(invoke, sample_event):
    event = sample_event("alb-get")
    event["path"] = "/account/login/"

    (response,) = invoke([event])

    assert response["result"]["statusCode"] == 200, response
    assert response["result"]["statusDescription"] == "200 OK"
    assert "<form" in response["result"]["body"]


def test_the_pages_stylesheet_is_served_from_the_package(invoke, sample_event):
    page = sample_event("alb-get")
    page["path"] = "/account/login/"
    (login,) = invoke([page])
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', login["result"]["body"]).group(1)
    css = sample_event("alb-get")
    css["path"] = href

    (response,) = invoke([css])

    assert re.fullmatch(r"/static/core/site\.[0-9a-f]{12}\.css", href), href  # hashed by the manifest
    assert response["result"]["statusCode"] == 200, response
    headers = {k.lower(): v for k, v in response["result"]["headers"].items()}
    assert headers["content-type"].startswith("text/css")
    body = response["result"]["body"]
    if response["result"].get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    assert ".site-header" in body


STATIC_REF = re.compile(r'(?:href|src)="([^"]*/static/[^"]+)"')


@pytest.mark.parametrize("page", ["/account/login/", "/api/docs/"])
def test_every_static_url_a_page_names_under_the_stage_path_is_served(lambda_world, sample_event, page):
    """API Gateway's default URL: pages under /dev/, so their static files must be too (a REST v1 event's
    ``path`` has no stage: the function mounts it). A custom domain (no stage) keeps /static/."""
    custom = "app.example.com"

    def get(path, host="abc123.execute-api.us-east-1.amazonaws.com"):
        event = _v1(sample_event, "apigw-rest-v1-get", {"Host": host, "Accept": "text/html"}, path=path)
        event.update(queryStringParameters=None, multiValueQueryStringParameters=None)
        event["requestContext"]["path"] = f"/dev{path}"
        return event

    env = {"ALLOWED_HOSTS": f".execute-api.us-east-1.amazonaws.com,{custom}"}
    on_stage, on_domain = _invoke(lambda_world, [get(page), get(page, custom)], env=env)
    urls = {
        "/dev": STATIC_REF.findall(on_stage["result"]["body"]),
        "": STATIC_REF.findall(on_domain["result"]["body"]),
    }
    assert urls["/dev"], urls
    assert len(urls["/dev"]) == len(urls[""]), urls
    assert all(url.startswith("/dev/static/") for url in urls["/dev"]), urls["/dev"]
    assert all(url.startswith("/static/") for url in urls[""]), urls[""]
    fetches = [get(url.removeprefix("/dev").split("?")[0]) for url in urls["/dev"]]
    fetches += [get(url.split("?")[0], custom) for url in urls[""]]

    responses = _invoke(lambda_world, fetches, provision=False, env=env)

    assert [r["result"]["statusCode"] for r in responses] == [200] * len(fetches), responses


def test_a_scheduled_event_runs_its_command(invoke, sample_event):
    event = sample_event("eventbridge-scheduled")
    event["resources"] = [
        "arn:aws:events:us-east-1:123456789012:rule/serverless-django-dev-daily-check-config.events.run_command"
    ]
    event["kwargs"] = {"command": "check", "args": ["--fail-level", "ERROR"]}
    event["id"] = "daily-check-firing"  # its own firing: a firing runs once (config/events.py)

    (response,) = invoke([event])

    assert response["result"]["command"] == "check", response
    assert "System check identified" in response["result"]["summary"]


def test_a_manage_event_runs_a_management_command(invoke):
    (response,) = invoke([{"manage": "check"}])
    assert response["result"]["command"] == "check", response
    assert "System check identified" in response["result"]["summary"]


def test_the_package_refuses_flush_raw_python_and_unlisted_functions(invoke, sample_event, token_headers):
    schedule = sample_event("eventbridge-scheduled")
    schedule["resources"] = [
        "arn:aws:events:us-east-1:123456789012:rule/serverless-django-dev-daily-check-config.events.run_command"
    ]
    schedule["kwargs"] = {"command": "flush", "args": ["--noinput"]}
    routines = _v1(sample_event, "apigw-rest-v1-get", token_headers, path="/api/routines/")

    flush, scheduled_flush, raw, dotted, empty, after = invoke(
        [
            {"manage": "flush --noinput"},
            schedule,
            {"raw_command": "import os; os.remove('db.sqlite3')"},
            {"command": "django.core.management.call_command", "args": ["flush"]},
            {},
            routines,
        ]
    )

    assert flush["error"].startswith("CommandRefused: Refused manage command 'flush'"), flush
    assert scheduled_flush["error"].startswith("CommandRefused: Refused scheduled command 'flush'")
    assert raw["error"].startswith("RefusedEvent: Refused raw_command event")
    assert dotted["error"].startswith("RefusedEvent: Refused command event")
    assert empty["error"].startswith("UnroutableEvent: Not an event this function handles")
    assert after["result"]["statusCode"] == 200, after  # the database is still there
    assert "Morning" in [r["name"] for r in json.loads(after["result"]["body"])["results"]]


def test_records_of_a_queue_no_app_declares_fail_the_invocation(invoke, sample_event):
    event = sample_event("sqs-batch", QUEUE_NAME="serverless-django-dev-nobodys-jobs")

    (response,) = invoke([event])

    assert response["error"].startswith("UnroutableEvent: No app declares a handler for sqs")


def test_a_dynamodb_stream_batch_reaches_archive_days_by_table_name(invoke, sample_event, lambda_world):
    alice = lambda_world["alice"]
    event = sample_event("dynamodb-stream-batch", TABLE_NAME="serverless-django-dev-routine-days")
    good, bad = event["Records"]
    for record in event["Records"]:
        record["eventSourceARN"] = record["eventSourceARN"].replace(
            "2026-11-01T12:34:56.789", "2031-02-03T04:05:06.007"
        )
    image = {
        "owner_routine": {"S": f"{alice['user']}#{alice['routine']}"},
        "date": {"S": "2026-11-22"},
        "total": {"N": "0"},
        "version": {"N": "1"},
    }
    good["dynamodb"].update(Keys={k: image[k] for k in ("owner_routine", "date")}, NewImage=image)
    bad["dynamodb"].update(NewImage=dict(image, owner_routine={"S": "not-an-owner-routine-key"}))

    (response,) = invoke([event])

    assert response["result"] == {
        "batchItemFailures": [{"itemIdentifier": bad["dynamodb"]["SequenceNumber"]}]
    }


def test_an_http_request_imports_neither_boto3_nor_zappas_handler(lambda_world, sample_event, token_headers):
    event = _v1(sample_event, "apigw-rest-v1-get", token_headers, path="/api/routines/")

    (response,) = _invoke(lambda_world, [event], provision=False)

    assert response["result"]["statusCode"] == 200
    modules = set(lambda_world["last_report"]["modules"])
    assert not modules & {"boto3", "zappa.handler", "werkzeug"}


# --- scraper: its real events through the package ----------------------------------------------


def _scrape_run(invoke, **fields):
    (created,) = invoke([{"command": "lambda_fixtures.set_up_scrape_run", **fields}])
    return created["result"]["run"]


def _movie_record(sample_event, stream, row):
    event = sample_event("kinesis-batch", STREAM_NAME=f"serverless-django-dev-{stream}")
    (record,) = event["Records"]
    record["kinesis"]["data"] = base64.b64encode(json.dumps(row).encode()).decode()
    return event, record


def test_the_movie_streams_records_are_stored_and_a_poison_one_goes_to_the_error_table(invoke, sample_event):
    run = _scrape_run(invoke, rows_sent=2)
    good = json.loads(base64.b64decode(sample_event("kinesis-batch")["Records"][0]["kinesis"]["data"]))
    event, first = _movie_record(sample_event, "movie-records", {**good, "scrapeRun": str(run)})
    _, poison = _movie_record(
        sample_event, "movie-records", {**good, "startYear": "19x4", "scrapeRun": str(run)}
    )
    poison["kinesis"]["sequenceNumber"] = str(int(first["kinesis"]["sequenceNumber"]) + 1)
    poison["eventID"] = f"shardId-000000000000:{poison['kinesis']['sequenceNumber']}"
    event["Records"].append(poison)

    response, redelivered, state = invoke(
        [event, event, {"command": "lambda_fixtures.scrape_run_state", "run": run}]
    )

    assert response["result"] == {"batchItemFailures": []}, response
    assert redelivered["result"] == {"batchItemFailures": []}
    assert state["result"] == {
        "status": "done",
        "rows_stored": 1,
        "rows_rejected": 1,
        "page_errors": 0,
        "failure": "",
    }


def test_a_page_error_record_reaches_on_scrape_errors_by_stream_name(invoke, sample_event):
    run = _scrape_run(invoke, status="failed")
    error = {
        "url": "https://movies.example/",
        "error_message": "Couldn't scrape the page",
        "scrapeRun": str(run),
    }
    event, _ = _movie_record(sample_event, "scrape-error-records", {**error, "content": "<div class=movie>"})

    response, state = invoke([event, {"command": "lambda_fixtures.scrape_run_state", "run": run}])

    assert response["result"] == {"batchItemFailures": []}, response
    assert state["result"]["page_errors"] == 1


def test_a_queued_scrape_of_a_loopback_address_is_refused_on_lambda(invoke, sample_event):
    run = _scrape_run(invoke, url="http://127.0.0.1:9/movies/", status="queued")
    event = sample_event("sqs-batch", QUEUE_NAME="serverless-django-dev-scrape-requests")
    event["Records"] = event["Records"][:1]
    event["Records"][0]["body"] = json.dumps({"run": run})

    response, state = invoke([event, {"command": "lambda_fixtures.scrape_run_state", "run": run}])

    assert response["result"] == {"batchItemFailures": []}, response
    assert state["result"]["status"] == "failed"
    assert state["result"]["failure"] == "Scraping 127.0.0.1 is not allowed: 127.0.0.1 is a loopback address."


def test_the_scheduled_scrape_skips_where_no_page_is_configured(invoke, sample_event):
    event = sample_event("eventbridge-scheduled")
    event["resources"] = [
        "arn:aws:events:us-east-1:123456789012:rule/serverless-django-dev-scrape-movies-config.events.run_command"
    ]
    event["kwargs"] = {"command": "scrape", "args": ["--scheduled"]}
    event["id"] = "scrape-movies-firing"

    (response,) = invoke([event])

    assert response["result"]["summary"] == (
        "Scheduled scrape skipped: set MOVIES_PAGE_URL and SCRAPER_SCHEDULE_USER to run it."
    )


# --- prices: the weekly schedule and the latest-price stream through the package -----------------


def _prices_env(live_server):
    """The open-data stand-in served by the test's live server; the address alerts link to."""
    return {
        "NY_OPEN_DATA_BASE_URL": f"{live_server.url}/sandbox/prices",
        "PRICES_SITE_URL": "https://prices.example",
    }


def test_the_weekly_price_schedule_fetches_and_writes_the_latest_prices(
    lambda_world, sample_event, live_server
):
    from prices.sandbox import data

    data.appended_reset()
    event = sample_event("eventbridge-scheduled")
    event["resources"] = [
        "arn:aws:events:us-east-1:123456789012:rule/serverless-django-dev-fetch-prices-config.events.run_command"
    ]
    event["kwargs"] = {"command": "fetch_prices", "args": ["--backfill", "5"]}
    event["id"] = "fetch-prices-firing"
    next_week = {**event, "id": "fetch-prices-next-firing"}  # a later firing refetches the same weeks

    response, redelivered, again, state = _invoke(
        lambda_world,
        [event, event, next_week, {"command": "lambda_fixtures.prices_state"}],
        env=_prices_env(live_server),
    )

    assert response["result"]["summary"] == (
        "Fetched 5 rows: 85 new reports, 0 unchanged, 0 revised, 0 values skipped; 17 latest prices written."
    ), response
    assert redelivered["result"]["summary"] == "skipped: a duplicate delivery"
    assert again["result"]["summary"].endswith(
        "85 unchanged, 0 revised, 0 values skipped; 0 latest prices written."
    )
    assert state["result"]["reports"] >= 85
    assert state["result"]["latest"]["albany"] == ["2023-02-06", "3.610", "2023-01-30", "3.590"]


def test_a_latest_price_drop_is_emailed_once_to_its_subscriber_by_the_stream_handler(
    lambda_world, sample_event, live_server
):
    import boto3

    event = sample_event("dynamodb-stream-batch", TABLE_NAME="serverless-django-dev-latest-prices")
    drop = {
        "region": {"S": "nassau"},
        "week": {"S": "2023-02-13"},
        "price": {"S": "3.500"},
        "previous_week": {"S": "2023-02-06"},
        "previous_price": {"S": "3.580"},
    }
    rise = dict(drop, region={"S": "buffalo"}, price={"S": "3.600"}, previous_price={"S": "3.450"})
    for record, image in zip(event["Records"], (drop, rise), strict=True):
        record["dynamodb"].update(Keys={"region": image["region"]}, NewImage=image)
    (ready,) = _invoke(
        lambda_world,
        [
            {
                "command": "lambda_fixtures.set_up_price_alert",
                "email": "nassau@example.com",
                "regions": ["nassau", "buffalo"],
            }
        ],
    )  # provisions the topic, subscribes the address on SNS
    assert "error" not in ready, ready
    sqs = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
    url = sqs.create_queue(QueueName="packaged-price-drops")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    boto3.client("sns", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1").subscribe(
        TopicArn="arn:aws:sns:us-east-1:123456789012:serverless-django-dev-price-drops",
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps({"to": ["nassau@example.com"]})},  # what SNS emails it
    )

    first, redelivered = _invoke(lambda_world, [event, event], provision=False, env=_prices_env(live_server))

    assert first["result"] == redelivered["result"] == {"batchItemFailures": []}, first
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert len(messages) == 1
    body = json.loads(messages[0]["Body"])
    assert body["Subject"] == "Gas price drop in Nassau: $3.50 (down 8 cents)"
    assert "https://prices.example/prices/unsubscribe/" in body["Message"]


# --- countries: the fetch queue's SQS event through the package -----------------------------------


@pytest.fixture
def countries_upstream(live_server):
    """REST Countries for the packaged function: the sandbox stand-in on this test process's server."""
    return f"{live_server.url}/sandbox/countries"


def test_the_fetch_queues_sqs_batch_fetches_stores_and_reports_only_the_poison_message(
    invoke, sample_event, countries_upstream
):
    (created,) = invoke([{"command": "lambda_fixtures.set_up_fetch_request", "code": "PY"}])
    request = created["result"]["request"]
    event = sample_event("sqs-batch", QUEUE_NAME="serverless-django-dev-fetch-requests")
    good, poison = event["Records"][:2]
    good["body"] = json.dumps({"request": request, "code": "PY"})
    poison["body"] = "not a fetch request"
    event["Records"] = [good, poison]

    set_up, response, redelivered, state = invoke(
        [
            {"command": "lambda_fixtures.use_upstream", "upstream": countries_upstream},
            event,
            {**event, "Records": [good]},
            {"command": "lambda_fixtures.fetch_request_state", "request": request},
        ]
    )

    assert response["result"] == {"batchItemFailures": [{"itemIdentifier": poison["messageId"]}]}, response
    assert redelivered["result"] == {"batchItemFailures": []}
    assert state["result"] == {"status": "done", "failure": "", "attempts": 1, "name": "Paraguay"}


# --- tracker: the scheduled poll through the package ---------------------------------------------


def test_the_scheduled_poll_records_the_stage_and_texts_once(invoke, sample_event):
    from tests.tracker.helpers import fake_upstreams

    fake = fake_upstreams()
    fake.texts.clear()
    event = sample_event("eventbridge-scheduled")
    event["resources"] = [
        "arn:aws:events:us-east-1:123456789012:rule/serverless-django-dev-poll-orders-config.events.run_command"
    ]
    event["kwargs"] = {"command": "poll_orders"}
    event["id"] = "tracker-poll-minute-1"
    next_minute = {**event, "id": "tracker-poll-minute-2"}

    created, first, redelivered, again = invoke(
        [
            {"command": "lambda_fixtures.set_up_tracked_order", "upstream": fake.url, "cart": "20261201"},
            event,
            event,  # the same firing delivered twice: claimed once
            next_minute,
        ]
    )
    order = created["result"]["order"]
    (state,) = invoke([{"command": "lambda_fixtures.tracked_order_state", "order": order}])

    assert first["result"]["summary"].startswith("Polled 1 order: 1 changed, 0 failed, 1 text sent"), first
    assert redelivered["result"]["summary"] == "skipped: a duplicate delivery", redelivered
    assert again["result"]["summary"].startswith("Polled 1 order: 0 changed, 0 failed, 0 texts sent"), again
    assert state["result"]["changes"] == ["PC"]
    assert state["result"]["texts"] == [["PC", "sent"]]
    assert [(t["To"], t["Body"]) for t in fake.texts] == [
        ("+60123456789", "Domino's order 20261201: In progress (PC).")
    ]


# --- a dropped database connection, on PostgreSQL ------------------------------------------------


@pytest.fixture
def postgres_url():
    """A database of its own on the suite's PostgreSQL server (DATABASE_URL), dropped afterwards."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no server to drop a connection"
        )
    name = f"packaged_{uuid.uuid4().hex[:12]}"
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    _admin_sql(server, f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    _admin_sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin_sql(server_url: str, sql: str) -> None:
    """One statement in autocommit on the server (psycopg2, the driver the zip ships)."""
    import psycopg2

    admin = psycopg2.connect(server_url)
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


@pytest.mark.every_database  # it needs PostgreSQL's server, though not the test database
def test_a_warm_function_survives_a_database_connection_the_server_dropped(
    lambda_world, sample_event, postgres_url
):
    def firing(number):
        event = sample_event("eventbridge-scheduled")
        event["resources"] = [
            "arn:aws:events:us-east-1:123456789012:rule/"
            "serverless-django-dev-requeue-pending-fetches-config.events.run_command"
        ]
        event["kwargs"] = {"command": "requeue_pending_fetches"}
        event["id"] = f"requeue-firing-{postgres_url[-12:]}-{number}"
        return event

    drop = {"command": "lambda_fixtures.drop_database_connection"}

    migrated, first, dropped, second, third, dropped_again, manage = _invoke(
        lambda_world,
        [
            {"manage": "migrate --noinput"},
            firing(1),
            drop,
            firing(2),
            firing(3),
            drop,
            {"manage": "showmigrations --list countries"},
        ],
        env={"DATABASE_URL": postgres_url},
    )

    assert "error" not in migrated, migrated
    assert first["result"]["summary"].startswith("Requeued 0 pending fetches"), first
    assert dropped["result"]["terminated"], dropped
    assert dropped_again["result"]["terminated"], dropped_again
    assert second["result"]["summary"] == first["result"]["summary"], second
    assert third["result"]["summary"] == first["result"]["summary"], third
    assert "error" not in manage, manage


# --- the poll against the time its invocation has ------------------------------------------------


@pytest.fixture
def hanging_tracker():
    """A tracker that answers each GET only after 3 s, long after the poll's 1 s read timeout."""
    import time
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(3)
            try:
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")
            except OSError:
                pass

        def log_message(self, *args):
            pass

    with serving(Handler) as url:
        yield url


def test_the_scheduled_poll_returns_within_its_invocation_recording_and_releasing(
    lambda_world, sample_event, hanging_tracker
):
    """Killed at its timeout, a poll would record nothing and keep every order leased; here it has
    9 s (the context's remaining time), keeps 1 s for the answer and 3 s for its records, and
    polls 16 hanging trackers (each call given up at its 1 s deadline) two at a time: 8 s of polls."""
    event = sample_event("eventbridge-scheduled")
    event["resources"] = [
        "arn:aws:events:us-east-1:123456789012:rule/serverless-django-dev-poll-orders-config.events.run_command"
    ]
    event["kwargs"] = {"command": "poll_orders"}
    event["id"] = f"poll-orders-hanging-{os.getpid()}"
    env = {"DRIVER_TIMEOUT_SECONDS": "9", "TRACKER_TIMEOUT_SECONDS": "1", "TRACKER_POLL_WORKERS": "2"}

    (created,) = _invoke(
        lambda_world,
        [{"command": "lambda_fixtures.set_up_hanging_orders", "upstream": hanging_tracker, "count": 16}],
    )
    orders = created["result"]["orders"]
    try:
        polled, state = _invoke(
            lambda_world,
            [event, {"command": "lambda_fixtures.tracked_orders_state", "orders": orders}],
            provision=False,
            env=env,
        )
    finally:
        _invoke(lambda_world, [{"command": "lambda_fixtures.stop_all_orders"}], provision=False)

    summary = polled["result"]["summary"]
    assert "not reached before the deadline" in summary, polled
    assert state["result"]["leased"] == 0
    assert state["result"]["polled"] >= 1
    assert state["result"]["polled"] + state["result"]["unpolled"] == len(orders)
    assert f"{state['result']['unpolled']} not reached before the deadline" in summary


# --- SnapStart: a snapshot and two restores, simulated (config/snapstart.py) -------------------


def test_two_copies_restored_from_one_snapshot_share_no_connection_random_sequence_or_credential(
    lambda_world, sample_event, token_headers
):
    """Init with SnapStart on registers the hooks; Init's database connection, AWS client (with the
    Init's credentials) and upstream session are gone in each restored copy, each copy draws its own
    random numbers, signs with its own credentials, and its first request imports nothing."""
    base = lambda_world["base"]
    event_path, results_path = base / "snapstart-event.json", base / "snapstart-results.json"
    event_path.write_text(
        json.dumps(_v1(sample_event, "apigw-rest-v1-get", token_headers, path="/api/routines/"))
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "STAGE": "dev",
        "SECRET_KEY": "packaged-test-secret",
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "ALLOWED_HOSTS": ".execute-api.us-east-1.amazonaws.com",
        "AWS_ENDPOINT_URL": os.environ["AWS_ENDPOINT_URL"],
        "AWS_ACCESS_KEY_ID": "credentials-of-the-init",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    argv = [runtime.runtime_python(), "-I", "-S", "-B", str(HERE / "packaged" / "snapstart_driver.py")]
    argv += [str(lambda_world["package"]), str(lambda_world["runtime"]), str(lambda_world["fixtures"])]
    argv += [str(event_path), str(results_path)]
    completed = subprocess.run(argv, env=env, cwd=base, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(results_path.read_text())
    first, second = report["copies"]

    assert report["registered"] == {"before": 1, "after": 1}
    assert report["snapshot"]["access_key"] == "credentials-of-the-init"
    assert report["snapshot"]["connection_open_after_hooks"] is False
    for number, copy in enumerate((first, second)):
        assert "error" not in copy, copy
        assert copy["connection_open_after_restore"] is False
        assert copy["upstream_sessions_after_restore"] == 0
        assert copy["access_key"] == f"restored-copy-{number}"
        assert copy["status"] == 200
        assert copy["first_imported"] == []  # everything was loaded before the snapshot
    assert first["count"] == second["count"] >= 1
    assert first["random"] != second["random"]
