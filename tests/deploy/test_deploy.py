"""A first deploy from zero, as docs/deploy.md says, against the emulated AWS.

The steps are docs/deploy.md's, run as a person would run them (commands in subprocesses), against the
session's moto server instead of an account:

1. provision the stage's tables, queues and streams (``AWS_RESOURCE_PREFIX=... manage.py provision``);
2. the existing role, with the trust and permissions policies ``manage.py iam_policy`` prints;
3. the secrets in SSM Parameter Store under the stage's ``SECRETS_SSM_PATH`` (never in the file);
4. ``make package STAGE=dev``, then ``zappa deploy dev --zip build/dev.zip`` from the package
   virtualenv (its ``callbacks.post`` creates the event-source mappings);
5. the first request through the deployed function;
6. ``manage.py undeploy --stage dev --yes`` (what ``make undeploy STAGE=dev`` runs).

Differences from an account, each forced by the emulator: the settings file is the project's with
the placeholder account ``000000000000`` replaced by moto's and ``"touch": false`` (Zappa's request
to the new API's URL after deploy would leave this machine). moto cannot run the function without
Docker, so step 5 runs the deployed code itself: the zip whose SHA-256 the function reports, unzipped
read-only and run by a fresh python3.13 process with exactly the function's deployed environment
(plus the endpoint and credentials Lambda would provide), as tests/lambda/test_package.py does.
"""

import base64
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from core.aws import client
from core.deploy import runtime
from tests import emulator, packaging

# The first test builds the zip (`make package`, minutes on a busy 2-core machine).
# The module deploys once on its own emulator and its tests read what that left: the per-test emptying
# leaves it alone (tests/conftest.py), and the first test after the module gets a brand-new one.
# Its tests walk deploy -> checks -> undeploy, so they run in the order they are written.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.keeps_emulator,
    pytest.mark.in_file_order,
]

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "tests/lambda/events"
DRIVER = ROOT / "tests/lambda/packaged/driver.py"
ACCOUNT = "123456789012"  # moto's
FUNCTION = "serverless-django-dev"  # the web function (API Gateway, 29 s)
WORKER = "serverless-django-dev-worker"  # the worker: schedules, queues, streams, Kinesis
BUCKET = f"serverless-django-dev-deploys-{ACCOUNT}"


def _aws_env():
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "AWS_ENDPOINT_URL": os.environ["AWS_ENDPOINT_URL"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }


def _run(argv, **env):
    completed = subprocess.run(
        [str(a) for a in argv],
        cwd=ROOT,
        env={**_aws_env(), **env},
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 0, f"{argv}\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
    return completed.stdout + completed.stderr


def _manage(*args, **env):
    return _run([sys.executable, "manage.py", *args], **env)


@pytest.fixture(scope="module")
def package_zip():
    return packaging.package_zip()


@pytest.fixture(scope="module")
def deploy(package_zip, tmp_path_factory):
    """docs/deploy.md's steps 1-4 on a brand-new emulator; what they printed."""
    emulator.reset()
    emulator.Emulator.state = "dirty"  # the tests after this module start from a fresh emulator
    work = tmp_path_factory.mktemp("deploy")
    printed = {}
    # 1. The stage's resources (no secrets needed: the names are the stage's).
    printed["provision"] = _manage("provision", "--stage", "dev")
    # 2. The existing role, with the documents iam_policy prints.
    trust = _manage("iam_policy", "--stage", "dev", "--account", ACCOUNT, "--part", "trust")
    permissions = _manage("iam_policy", "--stage", "dev", "--account", ACCOUNT, "--part", "permissions")
    iam = client("iam")
    iam.create_role(RoleName="serverless-django-lambda", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(
        RoleName="serverless-django-lambda", PolicyName="serverless-django-dev", PolicyDocument=permissions
    )
    # 3. Secrets only in SSM.
    database = work / "db.sqlite3"
    ssm = client("ssm")
    for name, value in {
        "SECRET_KEY": "deployed-secret-key-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{database}",
    }.items():
        ssm.put_parameter(Name=f"/serverless-django/dev/{name}", Value=value, Type="SecureString")
    # 4. The settings file with the account filled in, then Zappa from the package virtualenv.
    settings = json.loads((ROOT / "zappa_settings.json").read_text().replace("000000000000", ACCOUNT))
    settings["dev"]["touch"] = False
    settings_file = work / "zappa_settings.json"
    settings_file.write_text(json.dumps(settings, indent=2))
    zappa = runtime.package_venv(ROOT) / "bin" / "zappa"
    # Two functions from the one zip: the web stage, then its worker (whose deploy maps the sources).
    printed["deploy"] = _run([zappa, "deploy", "dev", "--zip", package_zip, "-s", settings_file])
    printed["deploy_worker"] = _run(
        [zappa, "deploy", "dev_worker", "--zip", package_zip, "-s", settings_file]
    )
    return {"work": work, "printed": printed, "zip": package_zip, "settings": settings["dev"]}


@pytest.fixture(scope="module")
def function(deploy):
    return client("lambda").get_function(FunctionName=FUNCTION)


@pytest.fixture(scope="module")
def worker(deploy):
    return client("lambda").get_function(FunctionName=WORKER)


def test_the_worker_runs_the_same_zip_with_its_own_timeout_memory_and_concurrency(deploy, function, worker):
    web, config = function["Configuration"], worker["Configuration"]
    from core.stages import load_stage

    wanted = load_stage("dev_worker")
    assert config["CodeSha256"] == web["CodeSha256"]
    assert config["Handler"] == web["Handler"] == "config.lambda_entry.handler"
    assert config["Runtime"] == "python3.13"
    assert config["Timeout"] == wanted["timeout_seconds"] > web["Timeout"]
    assert config["MemorySize"] == wanted["memory_size"]
    assert config["Environment"]["Variables"] == web["Environment"]["Variables"]  # the same stage's resources
    concurrency = client("lambda").get_function_concurrency(FunctionName=WORKER)
    assert concurrency["ReservedConcurrentExecutions"] == wanted["lambda_concurrency"]
    assert "API Gateway URL" not in deploy["printed"]["deploy_worker"]
    assert "Event source mappings feed dev_worker" in deploy["printed"]["deploy"]


def test_the_function_runs_the_packaged_zip_on_python313_with_no_secret_in_its_configuration(
    deploy, function
):
    config = function["Configuration"]
    digest = base64.b64encode(hashlib.sha256(deploy["zip"].read_bytes()).digest()).decode()

    assert config["Runtime"] == "python3.13"
    assert config["Handler"] == "config.lambda_entry.handler"
    assert config["MemorySize"] == 1024
    assert config["Timeout"] == 29  # API Gateway gives up at 29 s
    assert config["CodeSha256"] == digest
    assert config["Role"] == f"arn:aws:iam::{ACCOUNT}:role/serverless-django-lambda"
    environment = config["Environment"]["Variables"]
    assert environment["STAGE"] == "dev"
    assert environment["SECRETS_SSM_PATH"] == "/serverless-django/dev/"
    assert not {"SECRET_KEY", "DATABASE_URL"} & set(environment)
    # Failed scheduled commands (asynchronous invocations) end in the stage's dead-letter queue.
    # moto 5 accepts DeadLetterConfig on CreateFunction but neither stores nor returns it, so the
    # queue is checked to exist under the ARN the deploy passed.
    dead_letter = f"arn:aws:sqs:us-east-1:{ACCOUNT}:serverless-django-dev-failed-invocations"
    assert deploy["settings"]["dead_letter_arn"] == dead_letter
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName="serverless-django-dev-failed-invocations")["QueueUrl"]
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"] == (
        dead_letter
    )
    if "DeadLetterConfig" in config:  # a moto that keeps it
        assert config["DeadLetterConfig"]["TargetArn"] == dead_letter


def test_there_is_an_http_api_and_no_websocket_api(deploy):
    with zipfile.ZipFile(deploy["zip"]) as archive:
        zip_settings = archive.read("zappa_settings.py").decode()
    stack = client("cloudformation").get_template(StackName=FUNCTION)["TemplateBody"]
    template = stack if isinstance(stack, dict) else json.loads(stack)
    types = {resource["Type"] for resource in template["Resources"].values()}

    assert "WEBSOCKET_HANDLER_MODULE" not in zip_settings
    assert "AWS::ApiGateway::RestApi" in types
    assert not [t for t in types if t.startswith("AWS::ApiGatewayV2")]
    assert client("apigatewayv2").get_apis()["Items"] == []
    assert "WebSocket URL" not in deploy["printed"]["deploy"]


def test_the_schedules_are_rules_of_the_worker_with_their_command_as_input(deploy, function, worker):
    events = client("events")
    arn = worker["Configuration"]["FunctionArn"]
    rules = events.list_rule_names_by_target(TargetArn=arn)["RuleNames"]
    web_rules = events.list_rule_names_by_target(TargetArn=function["Configuration"]["FunctionArn"])[
        "RuleNames"
    ]
    from core.stages import load_stage, schedules

    config = load_stage("dev_worker")
    daily = next(s for s in schedules(config) if s.name == "daily-check").rule_name(config, "dev_worker")
    # One rule per schedule of the worker's zappa_settings.json events; the web function has only
    # Zappa's keep-warm rule.
    assert len(rules) == len(schedules(config))
    assert daily in rules
    assert len(web_rules) == 1
    assert web_rules[0].endswith("-zappa-keep-warm-handler.keep_warm_callback")
    assert events.describe_rule(Name=daily)["ScheduleExpression"] == "cron(15 3 * * ? *)"
    (target,) = events.list_targets_by_rule(Rule=daily)["Targets"]
    assert target["Arn"] == arn
    # Zappa's input template fills the event's fields in with <placeholders>; kwargs close it.
    template = target["InputTransformer"]["InputTemplate"]
    assert json.loads(template[template.index('"kwargs": ') + len('"kwargs": ') : -1]) == {
        "command": "check",
        "args": ["--deploy", "--database", "default"],
    }


def test_the_stream_mappings_feed_the_worker_with_what_zappa_leaves_out(deploy):
    """Every declared source (counted from the declarations) is mapped to the worker, with its full
    options; none to the web function."""
    from core.contract.registry import event_sources
    from core.deploy.event_sources import desired_mapping

    lambda_client = client("lambda")
    mappings = lambda_client.list_event_source_mappings(FunctionName=WORKER)["EventSourceMappings"]
    assert len(mappings) == len(event_sources())
    assert lambda_client.list_event_source_mappings(FunctionName=FUNCTION)["EventSourceMappings"] == []
    streams = [s for s in event_sources() if s.service == "dynamodb"]
    assert "routines.events.archive_days" in {s.function for s in streams}
    for source in streams:
        table = source.name(stage="dev")
        wanted = desired_mapping(source, clients=client, function=WORKER, stage="dev")
        (mapping,) = [m for m in mappings if m["EventSourceArn"] == wanted["EventSourceArn"]]
        assert f":table/{table}/stream/" in mapping["EventSourceArn"]
        assert mapping["StartingPosition"] == "TRIM_HORIZON"
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping["MaximumRetryAttempts"] == wanted["MaximumRetryAttempts"]
        assert mapping["BisectBatchOnFunctionError"] is True
        assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == (
            f"arn:aws:sqs:us-east-1:{ACCOUNT}:{table}-dlq"
        )
        assert f"dynamodb:{table} -> {source.function}: created" in deploy["printed"]["deploy_worker"]


def test_zappa_used_the_one_named_bucket(deploy):
    assert [b["Name"] for b in client("s3").list_buckets()["Buckets"]] == [BUCKET]


def _lambda_world(zip_path, base):
    package, runtime_dir, fixtures = base / "var-task", base / "var-runtime", base / "fixtures"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(package)
    for path in [*package.rglob("*"), package]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    site = runtime.venv_site_packages(runtime.package_venv(ROOT))
    for name in ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3"):
        shutil.copytree(site / name, runtime_dir / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(site / "six.py", runtime_dir / "six.py")
    fixtures.mkdir()
    return package, runtime_dir, fixtures


def _invoke_deployed(deploy, function, events):
    """Run ``events`` through the deployed zip in a fresh python3.13 process with the function's own
    environment (plus what Lambda itself provides); one result per event, then the driver's report."""
    base = deploy["work"] / "lambda"
    if not (base / "var-task").exists():
        _lambda_world(deploy["zip"], base)
    package, runtime_dir, fixtures = base / "var-task", base / "var-runtime", base / "fixtures"
    (base / "events.json").write_text(json.dumps(events))
    environment = {
        **function["Configuration"]["Environment"]["Variables"],
        **{k: v for k, v in _aws_env().items() if k != "PATH" and k != "HOME"},
        "PATH": "/usr/bin:/bin",
        "AWS_LAMBDA_FUNCTION_NAME": function["Configuration"]["FunctionName"],
    }
    assert "SECRET_KEY" not in environment
    argv = [runtime.runtime_python(), "-I", "-S", "-B", str(DRIVER), package, runtime_dir, fixtures]
    argv += [base / "events.json", base / "results.json"]
    completed = subprocess.run(
        [str(a) for a in argv], env=environment, cwd=base, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads((base / "results.json").read_text())


def test_the_first_request_through_the_deployed_function_answers_200_with_secrets_only_in_ssm(
    deploy, function
):
    page = json.loads((EVENTS / "apigw-rest-v1-get.json").read_text())
    page["path"] = "/account/login/"

    migrate, response, report = _invoke_deployed(deploy, function, [{"manage": "migrate --noinput"}, page])

    assert "error" not in migrate, migrate
    assert response["result"]["statusCode"] == 200, response
    assert "<form" in response["result"]["body"]
    assert report["python"][:2] == [3, 13]


def test_update_replaces_the_code_and_keeps_every_schedule_and_mapping(deploy, function, worker):
    """`zappa update` of both functions (the README's later deploys): the schedules are made again on
    the worker, the mappings are reconciled (none lost, none doubled), the log groups keep 30 days."""
    zappa = runtime.package_venv(ROOT) / "bin" / "zappa"
    settings_file = deploy["work"] / "zappa_settings.json"
    printed = _run([zappa, "update", "dev", "--zip", deploy["zip"], "-s", settings_file])
    printed += _run([zappa, "update", "dev_worker", "--zip", deploy["zip"], "-s", settings_file])

    from core.contract.registry import event_sources
    from core.deploy.event_sources import desired_mapping
    from core.stages import load_stage, schedules

    lambda_client, events = client("lambda"), client("events")
    assert "Your updated Zappa deployment is live" in printed
    worker_arn = lambda_client.get_function(FunctionName=WORKER)["Configuration"]["FunctionArn"]
    config = load_stage("dev_worker")
    rules = events.list_rule_names_by_target(TargetArn=worker_arn)["RuleNames"]
    assert sorted(rules) == sorted(s.rule_name(config, "dev_worker") for s in schedules(config))
    web_arn = function["Configuration"]["FunctionArn"]
    (keep_warm,) = events.list_rule_names_by_target(TargetArn=web_arn)["RuleNames"]
    assert keep_warm.endswith("-zappa-keep-warm-handler.keep_warm_callback")
    mappings = lambda_client.list_event_source_mappings(FunctionName=WORKER)["EventSourceMappings"]
    assert len(mappings) == len(event_sources())
    for source in event_sources():
        wanted = desired_mapping(source, clients=client, function=WORKER, stage="dev")
        (mapping,) = [m for m in mappings if m["EventSourceArn"] == wanted["EventSourceArn"]]
        assert mapping.get("FunctionResponseTypes") == ["ReportBatchItemFailures"]
    assert lambda_client.list_event_source_mappings(FunctionName=FUNCTION)["EventSourceMappings"] == []
    groups = {g["logGroupName"]: g for g in client("logs").describe_log_groups()["logGroups"]}
    for name in (FUNCTION, WORKER):
        assert groups[f"/aws/lambda/{name}"]["retentionInDays"] == 30


def _password_matches(encoded, password):
    algorithm, iterations, salt, digest = encoded.split("$")
    assert algorithm == "pbkdf2_sha256"
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return base64.b64encode(derived).decode() == digest


def test_the_first_admin_is_made_on_the_deployed_function_from_an_ssm_password(deploy, function):
    """`zappa manage dev "create_admin --username alice ..."`: the password only ever in SSM, then gone."""
    import sqlite3

    ssm = client("ssm")
    password = "alice-first-admin-" + "Zq7" * 4
    name = "/serverless-django/dev/admin/alice"
    ssm.put_parameter(Name=name, Value=password, Type="SecureString")

    migrated, created, again, refused, _ = _invoke_deployed(
        deploy,
        function,
        [
            {"manage": "migrate --noinput"},  # as the deploy doc's step before it; no test relies on another
            {"manage": "create_admin --username alice --email alice@example.com"},
            {"manage": "create_admin --username alice --email alice@example.com"},
            {"manage": "provision"},  # the role may not create resources: not allow-listed on Lambda
        ],
    )

    assert "error" not in migrated, migrated
    assert "error" not in created, created
    assert "no ssm parameter" in again["error"].lower()  # used once, then deleted
    assert "provision" in refused["error"]
    assert "LAMBDA_ALLOWED_COMMANDS" in refused["error"]
    with pytest.raises(ssm.exceptions.ParameterNotFound):
        ssm.get_parameter(Name=name)
    with sqlite3.connect(deploy["work"] / "db.sqlite3") as database:
        rows = database.execute(
            "SELECT is_superuser, is_staff, email, password FROM accounts_user WHERE username = 'alice'"
        ).fetchall()
    ((is_superuser, is_staff, email, encoded),) = rows
    assert (is_superuser, is_staff, email) == (1, 1, "alice@example.com")
    assert _password_matches(encoded, password)
    assert password not in json.dumps(function["Configuration"])


def test_undeploy_leaves_no_function_rule_mapping_or_api(deploy, function, worker):
    arns = [function["Configuration"]["FunctionArn"], worker["Configuration"]["FunctionArn"]]

    # The README's own command: make exports STAGE=dev to the recipe (`-o`: the dev virtualenv is
    # taken as installed, as it is after `make test`).
    printed = _run(["make", "--no-print-directory", "-o", ".venv/.installed", "undeploy", "STAGE=dev"])

    assert "Stage dev undeployed" in printed
    lambda_client = client("lambda")
    for name in (FUNCTION, WORKER):
        with pytest.raises(lambda_client.exceptions.ResourceNotFoundException):
            lambda_client.get_function(FunctionName=name)
    assert lambda_client.list_event_source_mappings()["EventSourceMappings"] == []
    events = client("events")
    for arn in arns:
        assert events.list_rule_names_by_target(TargetArn=arn)["RuleNames"] == []
    assert events.list_rules()["Rules"] == []
    assert events.list_rules(NamePrefix=FUNCTION)["Rules"] == []
    assert client("apigateway").get_rest_apis()["items"] == []
    assert client("apigatewayv2").get_apis()["Items"] == []
    stacks = client("cloudformation").list_stacks()["StackSummaries"]
    assert all(s["StackStatus"] == "DELETE_COMPLETE" for s in stacks if s["StackName"] == FUNCTION)


def test_teardown_asks_for_the_stage_by_name_and_removes_nothing_without_it(deploy):
    completed = subprocess.run(
        [sys.executable, "manage.py", "teardown", "--stage", "dev", "--confirm", "prod"],
        cwd=ROOT,
        env=_aws_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert completed.returncode != 0
    assert "nothing was removed" in completed.stderr
    assert "serverless-django-dev-movie-records" in client("kinesis").list_streams()["StreamNames"]


def test_teardown_leaves_nothing_of_the_stage_but_its_tables_and_then_those_with_delete_data(deploy):
    settings_file = deploy["work"] / "zappa_settings.json"
    sqs, kinesis, kms, logs, iam, ssm, s3 = (
        client(s) for s in ("sqs", "kinesis", "kms", "logs", "iam", "ssm", "s3")
    )
    assert kinesis.list_streams()["StreamNames"]
    assert sqs.list_queues().get("QueueUrls")

    printed = _manage("teardown", "--stage", "dev", "--confirm", "dev", "--settings-file", settings_file)

    assert "Stage dev torn down" in printed
    assert kinesis.list_streams()["StreamNames"] == []
    assert client("sns").list_topics()["Topics"] == []
    assert client("sns").list_subscriptions()["Subscriptions"] == []
    assert sqs.list_queues().get("QueueUrls", []) == []
    for key in kms.list_keys()["Keys"]:
        assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert not [a for a in kms.list_aliases()["Aliases"] if "serverless-django" in a["AliasName"]]
    assert logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/serverless-django")["logGroups"] == []
    # The stage's inline policy went, and with it the role: nothing else was left on it.
    assert "serverless-django-lambda" not in {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert s3.list_buckets()["Buckets"] == []
    assert ssm.get_parameters_by_path(Path="/serverless-django/dev", Recursive=True)["Parameters"] == []
    tables = client("dynamodb").list_tables()["TableNames"]
    assert "serverless-django-dev-routine-days" in tables  # users' data stays without --delete-data

    again = _manage(
        "teardown", "--stage", "dev", "--confirm", "dev", "--delete-data", "--settings-file", settings_file
    )

    assert "table serverless-django-dev-routine-days: deleted" in again
    assert "queue serverless-django-dev-failed-invocations: absent" in again
    assert not [
        t for t in client("dynamodb").list_tables()["TableNames"] if t.startswith("serverless-django-dev-")
    ]
