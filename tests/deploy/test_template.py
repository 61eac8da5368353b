"""The stage's CloudFormation template (manage.py cfn_template, core/deploy/template.py) on the emulator.

The stack is created by moto's CloudFormation from the template as ``cfn_template`` writes it, beside
what ``provision`` made for the test stage, and both are read back through the AWS APIs. Where moto's
CloudFormation falls short of AWS, the test says so and checks the template itself instead:

* it has no ``AWS::ApiGatewayV2::*`` types (an HTTP API stage is checked by cfn-lint and its JSON only);
* it ignores a table's ``TimeToLiveSpecification``, a function's ``Architectures`` and
  ``DeadLetterConfig`` and a REST API's ``BinaryMediaTypes`` (the template's own properties are
  compared for those);
* its ``AWS::KMS::Key`` needs a ``KeyPolicy`` given as a string (core/deploy/template.py says why).
"""

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.aws import client
from core.contract.naming import stage_prefix
from core.contract.registry import event_sources
from core.deploy.event_sources import sync_mappings
from core.deploy.provisioning import aws_provision
from core.deploy.template import stage_template
from core.stages import load_stage, schedules
from tests import emulator

# The stack is created once (moto takes a while) on an emulator of this module's making; its tests read
# it in the order they are written (the last one deletes it).
pytestmark = [pytest.mark.keeps_emulator, pytest.mark.in_file_order, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"  # moto's
STACK = "serverless-django-dev"
WEB = "serverless-django-dev"
WORKER = "serverless-django-dev-worker"
BUCKET = "serverless-django-dev-deploys"
TEST_PREFIX = stage_prefix("test")  # what provision made for the test stage (tests/settings.py)
DEV_PREFIX = stage_prefix("dev")


def _template(*args: str) -> dict:
    out = io.StringIO()
    call_command("cfn_template", "--stage", "dev", *args, stdout=out)
    return json.loads(out.getvalue())


def _create_stack(template: dict) -> None:
    """The zip in S3 and the existing role, as a DevOps team has them, then the stack."""
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("config/lambda_entry.py", "def handler(event, context):\n    return None\n")
    s3.put_object(Bucket=BUCKET, Key="dev.zip", Body=archive.getvalue())
    from core.deploy.iam import trust_policy

    client("iam").create_role(
        RoleName="serverless-django-lambda", AssumeRolePolicyDocument=json.dumps(trust_policy())
    )
    cloudformation = _cloudformation()
    cloudformation.create_stack(
        StackName=STACK,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "CodeBucket", "ParameterValue": BUCKET}],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    (stack,) = cloudformation.describe_stacks(StackName=STACK)["Stacks"]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack


def _cloudformation():
    """moto creates the whole stack inside CreateStack (a minute on a busy machine): no 20 s timeout
    and no retry (a retry would find half the stack there)."""
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "cloudformation",
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        config=Config(read_timeout=900, retries={"max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def stack():
    """A brand-new emulator with the test stage provisioned (``provision``), then the dev stage's stack
    from its template; the tests after this module get a brand-new emulator."""
    emulator.reset()
    emulator.provision()
    emulator.Emulator.state = "dirty"
    template = _template()
    _create_stack(template)
    return template


def _queue(name: str) -> dict:
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attributes.get("RedrivePolicy") or "null")
    return {
        "VisibilityTimeout": str(attributes["VisibilityTimeout"]),
        "MessageRetentionPeriod": str(attributes["MessageRetentionPeriod"]),
        "RedrivePolicy": redrive
        and {
            "target": redrive["deadLetterTargetArn"].rsplit(":", 1)[-1],
            "maxReceiveCount": int(redrive["maxReceiveCount"]),
        },
    }


def _table(name: str) -> dict:
    table = client("dynamodb").describe_table(TableName=name)["Table"]
    stream = table.get("StreamSpecification") or {}
    return {
        "KeySchema": table["KeySchema"],
        "AttributeDefinitions": sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]),
        "Indexes": sorted(
            (i["IndexName"], json.dumps(i["KeySchema"]), json.dumps(i["Projection"]))
            for i in table.get("GlobalSecondaryIndexes", []) + table.get("LocalSecondaryIndexes", [])
        ),
        "Stream": stream.get("StreamViewType") if stream.get("StreamEnabled") else None,
        "BillingMode": table.get("BillingModeSummary", {}).get("BillingMode"),
    }


def _described(kind: str, name: str, prefix: str) -> dict:
    """What the AWS APIs say of one resource, its names relative to the stage's prefix."""
    if kind == "table":
        return _table(name)
    if kind == "queue":
        found = _queue(name)
        if found["RedrivePolicy"]:
            found["RedrivePolicy"]["target"] = found["RedrivePolicy"]["target"].removeprefix(prefix)
        return found
    if kind == "topic":
        return (
            client("sns")
            .get_topic_attributes(TopicArn=f"arn:aws:sns:us-east-1:{ACCOUNT}:{name}")["Attributes"][
                "TopicArn"
            ]
            .rsplit(":", 1)[-1]
            .removeprefix(prefix)
        )
    if kind == "stream":
        return client("kinesis").describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
            "OpenShardCount"
        ]
    if kind == "key":
        key = client("kms").describe_key(KeyId=name)["KeyMetadata"]
        return {"Description": key["Description"], "KeyUsage": key["KeyUsage"], "KeyState": key["KeyState"]}
    raise AssertionError(f"provision made a {kind} this test does not know: {name}")


def test_every_resource_provision_creates_is_in_the_stack_with_the_same_settings(stack):
    provisioned = aws_provision()  # what provision makes (all "exists": aws_fresh ran it)
    names = {name.replace(TEST_PREFIX, DEV_PREFIX) for _, name, _ in provisioned}

    for kind, name, _ in provisioned:
        dev_name = name.replace(TEST_PREFIX, DEV_PREFIX)
        assert _described(kind, dev_name, DEV_PREFIX) == _described(kind, name, TEST_PREFIX), (kind, name)

    # Nothing more in the template than provision makes (tables, queues, topics, streams, keys).
    data = {
        properties.get("TableName")
        or properties.get("QueueName")
        or properties.get("TopicName")
        or properties.get("AliasName")
        or properties["Name"]
        for resource in stack["Resources"].values()
        if resource["Type"]
        in (
            "AWS::DynamoDB::Table",
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
            "AWS::Kinesis::Stream",
            "AWS::KMS::Alias",
        )
        for properties in [resource["Properties"]]
    }
    assert data == names
    # moto's CloudFormation ignores TimeToLiveSpecification: the template's is compared with provision's.
    dynamodb = client("dynamodb")
    for resource in stack["Resources"].values():
        if resource["Type"] != "AWS::DynamoDB::Table":
            continue
        properties = resource["Properties"]
        provisioned_ttl = dynamodb.describe_time_to_live(
            TableName=properties["TableName"].replace(DEV_PREFIX, TEST_PREFIX)
        )["TimeToLiveDescription"]
        declared = properties.get("TimeToLiveSpecification")
        assert (declared or {}).get("AttributeName") == provisioned_ttl.get("AttributeName")
        assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"


def test_sync_event_sources_finds_every_mapping_of_the_stack_as_it_would_set_it(stack):
    mappings = client("lambda").list_event_source_mappings(FunctionName=WORKER)["EventSourceMappings"]

    outcomes = sync_mappings(stage="dev", clients=client)

    assert len(mappings) == len(event_sources()) >= 5
    assert {outcome for _, _, outcome in outcomes} == {"exists"}, outcomes
    assert client("lambda").list_event_source_mappings(FunctionName=WEB)["EventSourceMappings"] == []
    streams = [
        m for m in mappings if ":dynamodb:" in m["EventSourceArn"] or ":kinesis:" in m["EventSourceArn"]
    ]
    assert streams
    assert all(m["DestinationConfig"]["OnFailure"]["Destination"].endswith("-dlq") for m in streams)


def test_the_functions_run_the_zip_with_the_stage_settings_and_no_secret(stack):
    lambda_client = client("lambda")
    for name, stage in ((WEB, "dev"), (WORKER, "dev_worker")):
        config = lambda_client.get_function(FunctionName=name)["Configuration"]
        wanted = load_stage(stage)
        assert config["Runtime"] == wanted["runtime"] == "python3.13"
        assert config["Handler"] == wanted["lambda_handler"]
        assert config["MemorySize"] == wanted["memory_size"]
        assert config["Timeout"] == wanted["timeout_seconds"]
        assert config["Role"] == f"arn:aws:iam::{ACCOUNT}:role/serverless-django-lambda"
        assert config["Environment"]["Variables"] == wanted["aws_environment_variables"]
        assert "SECRET_KEY" not in config["Environment"]["Variables"]
        # moto's CloudFormation drops Architectures and DeadLetterConfig: the template's are checked.
        properties = next(
            r["Properties"]
            for r in stack["Resources"].values()
            if r["Properties"].get("FunctionName") == name
        )
        assert properties["Architectures"] == [wanted["architecture"]]
        assert properties["DeadLetterConfig"] == {
            "TargetArn": {"Fn::GetAtt": ["QueueFailedInvocations", "Arn"]}
        }
    concurrency = lambda_client.get_function_concurrency(FunctionName=WORKER)
    assert concurrency["ReservedConcurrentExecutions"] == load_stage("dev_worker")["lambda_concurrency"]
    groups = client("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/serverless-django-dev")
    assert {g["logGroupName"]: g.get("retentionInDays") for g in groups["logGroups"]} == {
        f"/aws/lambda/{WEB}": 30,
        f"/aws/lambda/{WORKER}": 30,
    }


def _fill_in(transformer: dict, fired: dict) -> dict:
    """The event EventBridge builds from a firing with an InputTransformer."""
    paths = transformer["InputPathsMap"]
    text = re.sub(
        r"<([a-z-]+)>",
        lambda m: json.dumps(fired[paths[m[1]].removeprefix("$.")]),
        transformer["InputTemplate"],
    )
    return json.loads(text)


def test_each_schedule_is_a_rule_of_the_worker_whose_input_run_command_reads(stack):
    from config import events, lambda_entry

    worker_arn = client("lambda").get_function(FunctionName=WORKER)["Configuration"]["FunctionArn"]
    eventbridge = client("events")
    config = load_stage("dev_worker")
    rules = eventbridge.list_rule_names_by_target(TargetArn=worker_arn)["RuleNames"]
    sample = json.loads((ROOT / "tests/lambda/events/eventbridge-scheduled.json").read_text())

    assert len(rules) == len(schedules(config)) >= 5
    for schedule in schedules(config):
        name = schedule.rule_name(config, "dev_worker")
        rule = eventbridge.describe_rule(Name=name)
        assert rule["ScheduleExpression"] == schedule.expression
        (target,) = eventbridge.list_targets_by_rule(Rule=name)["Targets"]
        # EventBridge fills the template in with the firing's fields: what the worker then receives.
        fired = {**sample, "resources": [rule["Arn"]]}
        event = _fill_in(target["InputTransformer"], fired)
        assert lambda_entry._route(event) is lambda_entry._scheduled
        assert rule["Arn"].rsplit("/", 1)[-1].rsplit("-", 1)[-1] == events.RUN_COMMAND
        assert events._command_from(event) == (
            schedule.kwargs["command"],
            [str(a) for a in schedule.kwargs.get("args", [])],
        )
        assert event["id"] == sample["id"]  # a firing is claimed by its id
    web_arn = client("lambda").get_function(FunctionName=WEB)["Configuration"]["FunctionArn"]
    (keep_warm,) = eventbridge.list_rule_names_by_target(TargetArn=web_arn)["RuleNames"]
    assert keep_warm.endswith("-zappa-keep-warm-handler.keep_warm_callback")


def test_the_rest_api_sends_every_path_to_the_web_function(stack):
    apigateway = client("apigateway")
    (api,) = [a for a in apigateway.get_rest_apis()["items"] if a["name"] == WEB]
    resources = apigateway.get_resources(restApiId=api["id"])["items"]
    web_arn = client("lambda").get_function(FunctionName=WEB)["Configuration"]["FunctionArn"]

    assert {r["path"] for r in resources} == {"/", "/{proxy+}"}
    for resource in resources:
        integration = apigateway.get_integration(
            restApiId=api["id"], resourceId=resource["id"], httpMethod="ANY"
        )
        assert integration["type"] == "AWS_PROXY"
        assert web_arn in integration["uri"]
    # moto's CloudFormation drops BinaryMediaTypes: the template's is checked (Zappa's binary_support).
    assert stack["Resources"]["Api"]["Properties"]["BinaryMediaTypes"] == ["*/*"]


def test_deleting_the_stack_keeps_every_table_queue_topic_and_stream(stack):
    _cloudformation().delete_stack(StackName=STACK)

    assert client("dynamodb").describe_table(TableName="serverless-django-dev-routine-days")["Table"]
    assert client("sqs").get_queue_url(QueueName="serverless-django-dev-scrape-requests-dlq")["QueueUrl"]
    assert client("kinesis").describe_stream_summary(StreamName="serverless-django-dev-movie-records")
    lambda_client = client("lambda")
    with pytest.raises(lambda_client.exceptions.ResourceNotFoundException):
        lambda_client.get_function(FunctionName=WORKER)


def _lint(path: Path) -> list[str]:
    """cfn-lint's findings (errors, warnings and informational) on a template file."""
    from cfnlint.api import ManualArgs, lint_file

    return [str(match) for match in lint_file(path, config=ManualArgs(regions=["us-east-1"]))]


@pytest.mark.parametrize(
    ("stage", "args"),
    [("dev", []), ("prod", []), ("prod", ["--create-role"])],
    ids=["dev", "prod", "prod-role"],
)
def test_cfn_lint_reports_no_error_nor_warning(stage, args, tmp_path):
    output = tmp_path / f"{stage}.template.json"
    call_command("cfn_template", "--stage", stage, "-o", str(output), *args, stdout=io.StringIO())

    assert _lint(output) == []


def test_an_http_api_stage_gets_a_v2_api_that_cfn_lint_accepts(tmp_path, monkeypatch):
    settings = json.loads((ROOT / "zappa_settings.json").read_text())
    settings["dev"]["apigateway_version"] = "v2"
    path = tmp_path / "zappa_settings.json"
    path.write_text(json.dumps(settings))
    monkeypatch.setattr("core.stages.SETTINGS_FILE", path)

    template = stage_template(stage="dev")
    output = tmp_path / "dev.template.json"
    output.write_text(json.dumps(template))
    problems = _lint(output)

    types = {r["Type"] for r in template["Resources"].values()}
    assert {"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Stage"} <= types
    assert not [t for t in types if t.startswith("AWS::ApiGateway::")]
    assert problems == []


def test_a_secret_in_the_stage_environment_is_refused_in_one_line(tmp_path, monkeypatch):
    settings = json.loads((ROOT / "zappa_settings.json").read_text())
    settings["prod"]["aws_environment_variables"]["DATABASE_URL"] = "postgres://app:hunter2@db/app"
    path = tmp_path / "zappa_settings.json"
    path.write_text(json.dumps(settings))
    monkeypatch.setattr("core.stages.SETTINGS_FILE", path)

    with pytest.raises(CommandError) as refused:
        call_command("cfn_template", "--stage", "prod", stdout=io.StringIO())

    assert "DATABASE_URL" in str(refused.value)
    assert "SSM" in str(refused.value)
    assert "hunter2" not in str(refused.value)
    assert "\n" not in str(refused.value)
