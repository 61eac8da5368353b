"""The stage's Lambda event source mappings on AWS, reconciled with what the apps declare.

Apps declare which handler each table stream, Kinesis stream or queue feeds (``event_sources`` on
their AppConfig, core.apps). Zappa 0.63 cannot own those mappings (it creates them without
``StartingPosition``, which AWS rejects for streams, never sets ``FunctionResponseTypes``, and on
undeploy looks them up by a ``.../stream/LATEST`` ARN that matches nothing), so they are not in
zappa_settings.json and this module owns them: :func:`sync_mappings` makes every declared mapping
of a stage exist with the right options and removes the function's mappings nobody declares
(a source an app dropped, one Zappa created), idempotently; :func:`remove_mappings` removes all of
them before the function goes (``manage.py undeploy``, core.deploy.undeploy). sync runs as Zappa's
``callbacks.post`` after deploy/update and as ``manage.py sync_event_sources --stage S``.

Names come from the declarations and the stage (core.contract.naming); ARNs are looked up in the account
and region being deployed to (a DynamoDB stream ARN ends in the stream's creation time).
"""

from __future__ import annotations

from typing import Any

from core.contract.naming import dead_letter_name, function_name

# Options every mapping gets. Streams feed archives, so their retry policy keeps trying: no limit on
# attempts (-1), bisect-on-error to isolate a record that truly fails, and only a record older than
# STREAM_MAX_RECORD_AGE is given up on (its shard and sequence range go to the on-failure queue
# <table>-dlq). 12 h: a DynamoDB stream keeps records 24 h, so ``manage.py redrive`` has 12 h left
# to re-read them from the stream (the message names only the range, never the records).
STREAM_MAX_RETRIES = -1
STREAM_MAX_RECORD_AGE = 12 * 3600
FAILURE_RESPONSE_TYPES = ["ReportBatchItemFailures"]


class MappingError(RuntimeError):
    """A declared source does not exist in the account (provision the stage first)."""


def resolve_source_arn(service: str, name: str, *, clients: Any) -> str:
    """The real ARN of a table's stream, a Kinesis stream or a queue, looked up by name."""
    if service == "dynamodb":
        table = clients("dynamodb").describe_table(TableName=name)["Table"]
        arn = table.get("LatestStreamArn")
        if not arn:
            raise MappingError(f"Table {name} has no stream: enable one (stream_view_type on its model).")
        return arn
    if service == "kinesis":
        return clients("kinesis").describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
            "StreamARN"
        ]
    sqs = clients("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _failure_destination(name: str, *, clients: Any) -> str | None:
    """The on-failure queue ``<name>-dlq`` of a stream source, if it exists (``provision`` makes it)."""
    sqs = clients("sqs")
    try:
        url = sqs.get_queue_url(QueueName=dead_letter_name(name))["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return None
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def mapping_options(source: Any) -> dict[str, Any]:
    """The options of a declared source's mapping, without its ARNs: what sync_mappings sets and the
    CloudFormation template (core.deploy.template) declares."""
    options: dict[str, Any] = {
        "BatchSize": source.batch_size,
        "Enabled": True,
        "FunctionResponseTypes": FAILURE_RESPONSE_TYPES,
    }
    if source.is_stream:
        options["StartingPosition"] = source.starting_position
        options["MaximumRetryAttempts"] = STREAM_MAX_RETRIES
        options["MaximumRecordAgeInSeconds"] = STREAM_MAX_RECORD_AGE
        options["BisectBatchOnFunctionError"] = True
    return options


def desired_mapping(source: Any, *, clients: Any, function: str, stage: str) -> dict:
    """The CreateEventSourceMapping arguments a declared source (core.contract.registry.EventSource) should have."""
    name = source.name(stage=stage)
    wanted: dict[str, Any] = {
        "FunctionName": function,
        "EventSourceArn": resolve_source_arn(source.service, name, clients=clients),
        **mapping_options(source),
    }
    if source.is_stream:
        destination = _failure_destination(name, clients=clients)
        if destination:
            wanted["DestinationConfig"] = {"OnFailure": {"Destination": destination}}
    # SQS: failures go to the queue's own redrive DLQ after maxReceiveCount (set by `provision`).
    return wanted


_UPDATABLE = (
    "BatchSize",
    "Enabled",
    "FunctionResponseTypes",
    "MaximumRetryAttempts",
    "MaximumRecordAgeInSeconds",
    "BisectBatchOnFunctionError",
    "DestinationConfig",
)


def _differences(existing: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for key in _UPDATABLE:
        if key not in wanted:
            continue
        have = existing.get(key)
        if key == "Enabled":
            have = existing.get("State") in ("Enabled", "Enabling", "Creating", "Updating")
        if key == "DestinationConfig":
            have = {
                "OnFailure": {
                    "Destination": (existing.get(key) or {}).get("OnFailure", {}).get("Destination")
                }
            }
        if have != wanted[key]:
            changes[key] = wanted[key]
    return changes


def sync_mappings(
    *, stage: str, clients: Any, sources: list[Any] | None = None, project: str = "serverless-django"
) -> list[tuple[str, str, str]]:
    """Create or update every declared event source mapping of ``stage``; return (kind, name, outcome).

    The mappings feed the stage's worker function (``dev_worker`` for ``dev``, core.stages) when the
    settings define one; any left on the web function (a deploy from before the split) are removed.
    ``clients(service)`` returns a boto3 client; ``sources`` defaults to every app's declarations.
    """
    from core.contract.registry import event_sources
    from core.stages import web_stage, worker_stage

    stage = web_stage(stage)  # the resources are the web stage's, whichever function is named
    function = function_name(worker_stage(stage), project=project)
    outcomes = []
    lambda_client = clients("lambda")
    declared_arns = set()
    for source in event_sources() if sources is None else sources:
        wanted = desired_mapping(source, clients=clients, function=function, stage=stage)
        declared_arns.add(wanted["EventSourceArn"])
        existing = lambda_client.list_event_source_mappings(
            FunctionName=function, EventSourceArn=wanted["EventSourceArn"]
        ).get("EventSourceMappings", [])
        label = f"{source.service}:{source.name(stage=stage)} -> {source.function}"
        if not existing:
            lambda_client.create_event_source_mapping(**wanted)
            outcomes.append(("mapping", label, "created"))
            continue
        mapping = existing[0]
        if (
            mapping.get("StartingPosition")
            and source.is_stream
            and mapping["StartingPosition"] != wanted["StartingPosition"]
        ):
            # StartingPosition cannot be updated: replace the mapping.
            lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
            lambda_client.create_event_source_mapping(**wanted)
            outcomes.append(("mapping", label, "replaced"))
            continue
        changes = _differences(mapping, wanted)
        if changes:
            lambda_client.update_event_source_mapping(UUID=mapping["UUID"], FunctionName=function, **changes)
            outcomes.append(("mapping", label, "updated"))
        else:
            outcomes.append(("mapping", label, "exists"))
    for mapping in _function_mappings(lambda_client, function):
        if mapping["EventSourceArn"] not in declared_arns:
            lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
            outcomes.append(("mapping", f"{mapping['EventSourceArn']} (not declared)", "removed"))
    web = function_name(stage, project=project)
    if web != function:
        for mapping in _function_mappings(lambda_client, web):
            lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
            outcomes.append(
                ("mapping", f"{mapping['EventSourceArn']} (on the web function {web})", "removed")
            )
    return outcomes


def _function_mappings(lambda_client: Any, function: str) -> list[dict[str, Any]]:
    pages = lambda_client.get_paginator("list_event_source_mappings").paginate(FunctionName=function)
    return [mapping for page in pages for mapping in page.get("EventSourceMappings", [])]


def remove_mappings(
    *, stage: str, clients: Any, project: str = "serverless-django"
) -> list[tuple[str, str, str]]:
    """Delete every event source mapping of the stage's function, declared or not (before undeploy:
    AWS keeps a function's mappings after the function is deleted)."""
    lambda_client = clients("lambda")
    outcomes = []
    for mapping in _function_mappings(lambda_client, function_name(stage, project=project)):
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
        outcomes.append(("mapping", mapping["EventSourceArn"], "removed"))
    return outcomes


def zappa_post_callback(zappa_cli: Any) -> None:
    """After ``zappa deploy/update`` (core.deploy.zappa_callbacks): reconcile the stage's mappings.

    They feed the worker: deploying the web stage of a stage that has one leaves them to the worker's
    deploy (the worker function may not exist yet)."""
    from core.stages import worker_stage

    if worker_stage(zappa_cli.api_stage) != zappa_cli.api_stage:
        print(f"Event source mappings feed {worker_stage(zappa_cli.api_stage)}: deploy or update it too.")
        return
    session = zappa_cli.zappa.boto_session
    outcomes = sync_mappings(
        stage=zappa_cli.api_stage,
        clients=lambda service: session.client(service),
        project=zappa_cli.stage_config.get("project_name", "serverless-django"),
    )
    for kind, name, outcome in outcomes:
        print(f"{kind:<8} {name}: {outcome}")
