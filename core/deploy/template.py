"""The CloudFormation template of a stage, for a DevOps team that deploys the zip its own way.

``manage.py cfn_template --stage prod -o build/prod.template.json`` (``make package STAGE=prod`` writes it
beside ``build/prod.zip``) describes everything ``zappa deploy``, ``provision``, ``iam_policy`` and
``sync_event_sources`` make for the stage, from the same sources they read:

* the web and worker functions (core.stages) from the zip, uploaded to S3 (parameters ``CodeBucket``,
  ``CodeKey``): handler, runtime, architecture, memory, timeout, reserved concurrency, dead-letter
  queue and environment as zappa_settings.json sets them (the environment holds no secret: the
  function reads them from SSM under ``SECRETS_SSM_PATH``; a secret-looking name is refused);
* the existing role as a parameter (``RoleName``), or with ``--create-role`` a role holding
  core.deploy.iam's policy;
* every table, queue (with its dead-letter queue), topic, Kinesis stream and KMS key (with its alias) as
  core.deploy.stack defines them for ``provision``; each with ``DeletionPolicy: Retain`` (deleting the
  stack never deletes what users wrote, as ``manage.py undeploy`` never does);
* every event-source mapping with the options ``sync_event_sources`` sets
  (core.deploy.event_sources.mapping_options) and the on-failure queue of each stream;
* every schedule of the worker's zappa_settings.json events (and Zappa's keep-warm ping) as an
  EventBridge rule named as Zappa names it, with the input Zappa gives it: the event's fields plus
  ``kwargs``, which config.events.run_command reads (config.lambda_entry routes by the rule's name);
* the API (REST v1 as Zappa makes it, or an HTTP API with ``"apigateway_version": "v2"``) and the
  functions' log groups with a retention (parameter ``LogRetentionInDays``).

Names are the stage's (core.contract.naming), so the code finds its resources the same way on either path.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from core.contract.naming import dead_letter_name, resource_name, stage_prefix
from core.contract.registry import FAILED_INVOCATIONS, declared_resources, dynamo_models, event_sources
from core.contract.resources import KinesisStream, KmsKey, Queue, Topic
from core.deploy.event_sources import mapping_options
from core.deploy.stack import KEY_USAGE, key_alias, key_description, queue_definitions, table_definition
from core.stages import Schedule, load_stage, schedules, stage_function_name, web_stage, worker_stage

RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
LOG_RETENTION_DAYS = 30
LOG_RETENTION_CHOICES = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653]
# Environment variable names that look like a secret: the function reads those from SSM, never from
# its configuration (visible to anyone who may read the function).
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|CREDENTIAL|PRIVATE|API_KEY|DATABASE_URL", re.IGNORECASE)
NOT_SECRET = frozenset({"SECRETS_SSM_PATH"})
# What Zappa's schedule gives the function (zappa.core.Zappa.schedule_events): the event's own fields
# (id: a firing is claimed by it; resources: the rule, which names the function) plus the kwargs.
SCHEDULE_INPUT_PATHS = {
    field: f"$.{field}"
    for field in (
        "time",
        "detail-type",
        "source",
        "account",
        "region",
        "detail",
        "version",
        "resources",
        "id",
    )
}
ACCOUNT_KEY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AccountIamPolicies",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ],
}
KEEP_WARM = Schedule(name="zappa-keep-warm", function="handler.keep_warm_callback", expression="")


class TemplateError(ValueError):
    """The stage cannot be described (an unknown stage, a secret in its environment...)."""


def logical_id(*parts: str) -> str:
    """``logical_id("Queue", "scrape-requests-dlq")`` -> ``QueueScrapeRequestsDlq``."""
    return "".join(
        word[:1].upper() + word[1:] for part in parts for word in re.split(r"[^A-Za-z0-9]+", part) if word
    )


def _arn(logical: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical, "Arn"]}


def _sub_pseudo_parameters(value: Any) -> Any:
    """Every string naming ``${AWS::...}`` wrapped in Fn::Sub (an IAM document built for any account)."""
    if isinstance(value, dict):
        return {key: _sub_pseudo_parameters(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_sub_pseudo_parameters(item) for item in value]
    if isinstance(value, str) and "${AWS::" in value:
        return {"Fn::Sub": value}
    return value


def schedule_input_template(kwargs: dict[str, Any]) -> str:
    """Zappa's InputTemplate of a schedule, character for character."""
    return (
        '{"time": <time>, "detail-type": <detail-type>, "source": <source>,"account": <account>, '
        '"region": <region>,"detail": <detail>, "version": <version>,"resources": <resources>,'
        f'"id": <id>,"kwargs": {json.dumps(kwargs)}}}'
    )


class _Template:
    def __init__(self) -> None:
        self.resources: dict[str, dict[str, Any]] = {}

    def add(self, logical: str, kind: str, properties: dict[str, Any], **extra: Any) -> str:
        if logical in self.resources:
            raise TemplateError(f"{logical} is declared twice.")
        self.resources[logical] = {"Type": kind, **extra, "Properties": properties}
        return logical


def _environment(config: dict[str, Any], stage: str) -> dict[str, str]:
    variables = {str(k): str(v) for k, v in (config.get("aws_environment_variables") or {}).items()}
    secrets = sorted(name for name in variables if SECRET_NAME.search(name) and name not in NOT_SECRET)
    if secrets:
        raise TemplateError(
            f"Stage {stage} sets {', '.join(secrets)} in aws_environment_variables: secrets go in SSM "
            "under SECRETS_SSM_PATH, never in the function's configuration."
        )
    return variables


def _function(
    template: _Template,
    *,
    logical: str,
    config: dict[str, Any],
    stage: str,
    role: Any,
    failed_invocations: tuple[str, str],
) -> str:
    name = stage_function_name(config, stage)
    logs = template.add(
        f"{logical}Logs",
        "AWS::Logs::LogGroup",
        {"LogGroupName": f"/aws/lambda/{name}", "RetentionInDays": {"Ref": "LogRetentionInDays"}},
    )
    properties: dict[str, Any] = {
        "FunctionName": name,
        "Code": {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CodeKey"}},
        "Handler": config.get("lambda_handler", "handler.lambda_handler"),
        "Runtime": config["runtime"],
        "Architectures": [config.get("architecture", "x86_64")],
        "MemorySize": int(config.get("memory_size", 512)),
        "Timeout": int(config.get("timeout_seconds", 30)),
        "Role": role,
        "Environment": {"Variables": _environment(config, stage)},
    }
    if config.get("lambda_description"):
        properties["Description"] = config["lambda_description"]
    dead_letter = config.get("dead_letter_arn")
    if dead_letter:
        queue_name, queue_logical = failed_invocations
        target = _arn(queue_logical) if dead_letter.rsplit(":", 1)[-1] == queue_name else dead_letter
        properties["DeadLetterConfig"] = {"TargetArn": target}
    if config.get("lambda_concurrency") is not None:
        properties["ReservedConcurrentExecutions"] = int(config["lambda_concurrency"])
    if config.get("vpc_config"):
        properties["VpcConfig"] = config["vpc_config"]
    if config.get("xray_tracing"):
        properties["TracingConfig"] = {"Mode": "Active"}
    if config.get("ephemeral_storage"):
        properties["EphemeralStorage"] = config["ephemeral_storage"]
    if config.get("snap_start") not in (None, "None"):
        properties["SnapStart"] = {"ApplyOn": config["snap_start"]}
    if config.get("layers"):
        properties["Layers"] = config["layers"]
    if config.get("aws_kms_key_arn"):
        properties["KmsKeyArn"] = config["aws_kms_key_arn"]
    return template.add(logical, "AWS::Lambda::Function", properties, DependsOn=[logs])


def _rule(
    template: _Template, *, schedule: Schedule, config: dict[str, Any], stage: str, function: str
) -> None:
    logical = logical_id("Schedule", function, schedule.name, str(schedule.index or ""))
    template.add(
        logical,
        "AWS::Events::Rule",
        {
            "Name": schedule.rule_name(config, stage),
            "ScheduleExpression": schedule.expression,
            "State": "ENABLED",
            "Targets": [
                {
                    "Id": function,
                    "Arn": _arn(function),
                    "InputTransformer": {
                        "InputPathsMap": SCHEDULE_INPUT_PATHS,
                        "InputTemplate": schedule_input_template(schedule.kwargs),
                    },
                }
            ],
        },
    )
    template.add(
        f"{logical}Permission",
        "AWS::Lambda::Permission",
        {
            "FunctionName": {"Ref": function},
            "Action": "lambda:InvokeFunction",
            "Principal": "events.amazonaws.com",
            "SourceArn": _arn(logical),
        },
    )


def _schedules(template: _Template, *, config: dict[str, Any], stage: str, function: str) -> None:
    found = schedules(config)
    if config.get("keep_warm", True):  # Zappa's default: a ping every few minutes keeps one instance warm
        expression = config.get("keep_warm_expression", "rate(4 minutes)")
        found.append(Schedule(name=KEEP_WARM.name, function=KEEP_WARM.function, expression=expression))
    for schedule in found:
        _rule(template, schedule=schedule, config=config, stage=stage, function=function)


def _rest_api(template: _Template, *, config: dict[str, Any], stage: str, function: str) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "Name": stage_function_name(config, stage),
        "EndpointConfiguration": {"Types": list(config.get("endpoint_configuration") or ["EDGE"])},
    }
    if config.get("binary_support", True):
        properties["BinaryMediaTypes"] = ["*/*"]
    api = template.add("Api", "AWS::ApiGateway::RestApi", properties)
    proxy = template.add(
        "ApiProxyResource",
        "AWS::ApiGateway::Resource",
        {
            "RestApiId": {"Ref": api},
            "ParentId": {"Fn::GetAtt": [api, "RootResourceId"]},
            "PathPart": "{proxy+}",
        },
    )
    integration = {
        "Type": "AWS_PROXY",
        "IntegrationHttpMethod": "POST",
        "Uri": {
            "Fn::Sub": f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/"
            f"${{{function}.Arn}}/invocations"
        },
    }
    methods = []
    for logical, resource in (
        ("ApiRootMethod", {"Fn::GetAtt": [api, "RootResourceId"]}),
        ("ApiProxyMethod", {"Ref": proxy}),
    ):
        methods.append(
            template.add(
                logical,
                "AWS::ApiGateway::Method",
                {
                    "RestApiId": {"Ref": api},
                    "ResourceId": resource,
                    "HttpMethod": "ANY",
                    "AuthorizationType": "AWS_IAM" if config.get("iam_authorization") else "NONE",
                    "ApiKeyRequired": bool(config.get("api_key_required", False)),
                    "Integration": integration,
                },
            )
        )
    template.add(
        "ApiDeployment",
        "AWS::ApiGateway::Deployment",
        {"RestApiId": {"Ref": api}, "StageName": stage},
        DependsOn=methods,
    )
    _api_permission(template, function=function)
    return {"Fn::Sub": f"https://${{Api}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{stage}"}


def _http_api(template: _Template, *, config: dict[str, Any], stage: str, function: str) -> dict[str, Any]:
    api = template.add(
        "Api", "AWS::ApiGatewayV2::Api", {"Name": stage_function_name(config, stage), "ProtocolType": "HTTP"}
    )
    integration = template.add(
        "ApiIntegration",
        "AWS::ApiGatewayV2::Integration",
        {
            "ApiId": {"Ref": api},
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": _arn(function),
            "PayloadFormatVersion": "2.0",
        },
    )
    template.add(
        "ApiRoute",
        "AWS::ApiGatewayV2::Route",
        {
            "ApiId": {"Ref": api},
            "RouteKey": "$default",
            "Target": {"Fn::Sub": f"integrations/${{{integration}}}"},
        },
    )
    template.add(
        "ApiStage",
        "AWS::ApiGatewayV2::Stage",
        {"ApiId": {"Ref": api}, "StageName": "$default", "AutoDeploy": True},
    )
    _api_permission(template, function=function)
    return {"Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"}


def _api_permission(template: _Template, *, function: str) -> None:
    template.add(
        "ApiPermission",
        "AWS::Lambda::Permission",
        {
            "FunctionName": {"Ref": function},
            "Action": "lambda:InvokeFunction",
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {
                "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*"
            },
        },
    )


def _data(template: _Template, *, stage: str) -> dict[str, str]:
    """Tables, queues, topics, streams and keys; returns each resource's full name -> logical id."""
    prefix = stage_prefix(stage)
    logical_of: dict[str, str] = {}
    for model in dynamo_models():
        table = table_definition(model, stage=stage)
        properties: dict[str, Any] = {
            key: value
            for key, value in table.create_table_arguments().items()
            if key != "StreamSpecification"
        }
        if table.stream_view_type:
            properties["StreamSpecification"] = {"StreamViewType": table.stream_view_type}
        if table.ttl_attribute:
            properties["TimeToLiveSpecification"] = {"AttributeName": table.ttl_attribute, "Enabled": True}
        logical_of[table.name] = template.add(
            logical_id("Table", table.name.removeprefix(prefix)), "AWS::DynamoDB::Table", properties, **RETAIN
        )
    for resource in declared_resources():
        name = resource_name(resource.name, stage=stage)
        if isinstance(resource, Queue):
            for queue in queue_definitions(resource, stage=stage):
                properties = {"QueueName": queue.name, **queue.attributes}
                if queue.dead_letter:
                    properties["RedrivePolicy"] = {
                        "deadLetterTargetArn": _arn(logical_of[queue.dead_letter]),
                        "maxReceiveCount": queue.max_receive_count,
                    }
                logical_of[queue.name] = template.add(
                    logical_id("Queue", queue.name.removeprefix(prefix)),
                    "AWS::SQS::Queue",
                    properties,
                    **RETAIN,
                )
        elif isinstance(resource, Topic):
            logical_of[name] = template.add(
                logical_id("Topic", resource.name), "AWS::SNS::Topic", {"TopicName": name}, **RETAIN
            )
        elif isinstance(resource, KinesisStream):
            logical_of[name] = template.add(
                logical_id("Stream", resource.name),
                "AWS::Kinesis::Stream",
                {"Name": name, "ShardCount": resource.shards},
                **RETAIN,
            )
        elif isinstance(resource, KmsKey):
            key = logical_id("Key", resource.name)
            logical_of[name] = template.add(
                key,
                "AWS::KMS::Key",
                {
                    "Description": key_description(resource, stage=stage),
                    "KeyUsage": KEY_USAGE,
                    # The key policy AWS gives a key created without one: the account's IAM policies decide.
                    # A JSON string (Fn::Sub) rather than an object: moto's CloudFormation stores an object
                    # as is and then fails to read it back; AWS takes either.
                    "KeyPolicy": {"Fn::Sub": json.dumps(ACCOUNT_KEY_POLICY)},
                },
                **RETAIN,
            )
            template.add(
                f"{key}Alias",
                "AWS::KMS::Alias",
                {"AliasName": key_alias(resource, stage=stage), "TargetKeyId": {"Ref": key}},
            )
    return logical_of


def _mappings(template: _Template, *, stage: str, function: str, logical_of: dict[str, str]) -> None:
    for source in event_sources():
        name = source.name(stage=stage)
        origin = logical_of[name]
        properties: dict[str, Any] = {
            "FunctionName": {"Ref": function},
            "EventSourceArn": {
                "Fn::GetAtt": [origin, "StreamArn" if source.service == "dynamodb" else "Arn"]
            },
            **mapping_options(source),
        }
        if source.is_stream:
            properties["DestinationConfig"] = {
                "OnFailure": {"Destination": _arn(logical_of[dead_letter_name(name)])}
            }
        template.add(logical_id("Mapping", source.suffix), "AWS::Lambda::EventSourceMapping", properties)


def _role(template: _Template, *, stage: str, web_config: dict[str, Any], create: bool) -> Any:
    role_name = web_config["role_arn"].rsplit(":role/", 1)[-1]
    if not create:
        return {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}"}
    from core.deploy.iam import policy_document, trust_policy

    policy = policy_document(stage=stage, account="${AWS::AccountId}", region="${AWS::Region}")
    template.add(
        "FunctionRole",
        "AWS::IAM::Role",
        {
            "RoleName": role_name.rsplit("/", 1)[-1],
            "AssumeRolePolicyDocument": trust_policy(),
            "Policies": [
                {
                    "PolicyName": stage_function_name(web_config, stage),
                    "PolicyDocument": _sub_pseudo_parameters(policy),
                }
            ],
        },
    )
    return _arn("FunctionRole")


def _zip_metadata(zip_path: Path | None) -> dict[str, Any]:
    if zip_path is None or not zip_path.is_file():
        return {}
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    return {"Zip": {"File": zip_path.name, "Sha256": digest}}


def stage_template(*, stage: str, create_role: bool = False, zip_path: Path | None = None) -> dict[str, Any]:
    """The template of ``stage`` (``prod``; ``prod_worker`` is the same stage) as a JSON-ready dict."""
    from core.deploy.guards import TEMPLATE_STAGES
    from core.stages import SettingsError

    web = web_stage(stage)
    if web in TEMPLATE_STAGES or stage in TEMPLATE_STAGES:
        raise TemplateError(f"{stage} is a template the stages extend, not a deployed stage.")
    try:
        web_config = load_stage(web)
        worker = worker_stage(web)
        worker_config = load_stage(worker)
    except SettingsError as exc:
        raise TemplateError(str(exc)) from exc
    if web_config.get("alb_enabled"):
        raise TemplateError(f"Stage {web} is behind an ALB: the template describes API Gateway stages only.")

    template = _Template()
    logical_of = _data(template, stage=web)
    role = _role(template, stage=web, web_config=web_config, create=create_role)
    failed_name = resource_name(FAILED_INVOCATIONS.name, stage=web)
    failed = (failed_name, logical_of[failed_name])
    functions = {"WebFunction": (web, web_config)}
    if worker != web:
        functions["WorkerFunction"] = (worker, worker_config)
    for logical, (function_stage, config) in functions.items():
        _function(
            template,
            logical=logical,
            config=config,
            stage=function_stage,
            role=role,
            failed_invocations=failed,
        )
    consumer = "WorkerFunction" if worker != web else "WebFunction"
    _mappings(template, stage=web, function=consumer, logical_of=logical_of)
    for logical, (function_stage, config) in functions.items():
        _schedules(template, config=config, stage=function_stage, function=logical)
    outputs: dict[str, Any] = {f"{logical}Arn": {"Value": _arn(logical)} for logical in functions}
    if web_config.get("apigateway_enabled", True):
        build = _http_api if web_config.get("apigateway_version") == "v2" else _rest_api
        outputs["ApiUrl"] = {"Value": build(template, config=web_config, stage=web, function="WebFunction")}

    parameters: dict[str, Any] = {
        "CodeBucket": {
            "Type": "String",
            "Default": web_config.get("s3_bucket", ""),
            "Description": "The S3 bucket holding the zip (make package).",
        },
        "CodeKey": {"Type": "String", "Default": f"{web}.zip", "Description": "The zip's key in CodeBucket."},
        "LogRetentionInDays": {
            "Type": "Number",
            "Default": LOG_RETENTION_DAYS,
            "AllowedValues": LOG_RETENTION_CHOICES,
            "Description": "How long the functions' logs are kept.",
        },
    }
    if not create_role:
        parameters["RoleName"] = {
            "Type": "String",
            "Default": web_config["role_arn"].rsplit(":role/", 1)[-1],
            "Description": "The existing role of the functions (manage.py iam_policy prints its policies).",
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{stage_function_name(web_config, web)}: the stage's functions, data, schedules, "
        "event sources and API (manage.py cfn_template).",
        "Metadata": {"Stage": web, **_zip_metadata(zip_path)},
        "Parameters": parameters,
        "Resources": template.resources,
        "Outputs": outputs,
    }
