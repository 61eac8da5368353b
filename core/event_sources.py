"""What zappa_settings.json says a stage runs, and the reconciliation of its event source mappings.

Zappa 0.63 creates event source mappings without ``StartingPosition`` (AWS rejects those for
DynamoDB streams and Kinesis; Zappa only logs "Unable to add event source") and without
``FunctionResponseTypes`` (so ``batchItemFailures`` would be ignored). :func:`sync_mappings`
makes every mapping of a stage exist with the right options, idempotently; it runs as Zappa's
``callbacks.post`` after deploy/update and as ``manage.py sync_event_sources --stage S``.

Resource names, not ARNs, are what the settings really say: an ARN there carries a placeholder
account (000000000000), and a DynamoDB stream ARN ends in the stream's creation time, which no
settings file can know. So every ARN is reduced to (service, name) and resolved in the account
and region being deployed to. Locally, ``local_name`` swaps the deployed stage's prefix
(``serverless-django-dev-``) for the local stage's, so the runner polls the emulator's resources.

Standard library only at import: Zappa loads this file by path in its own process (no Django).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "zappa_settings.json"

# Options every mapping gets; streams also get bounded retries and bisect-on-error.
STREAM_MAX_RETRIES = 3
STREAM_MAX_RECORD_AGE = 3600
FAILURE_RESPONSE_TYPES = ["ReportBatchItemFailures"]


class SettingsError(ValueError):
    """zappa_settings.json asks for something this project cannot honour."""


def load_stage(stage: str, *, path: Path | str | None = None) -> dict[str, Any]:
    """The stage's settings with ``extends`` applied the way Zappa applies them (shallow update)."""
    settings = json.loads(Path(path or SETTINGS_FILE).read_text())
    seen: list[str] = []

    def resolve(name: str) -> dict[str, Any]:
        if name in seen:
            raise SettingsError(f"Circular extends in zappa settings: {' -> '.join([*seen, name])}")
        if name not in settings:
            raise SettingsError(f"Stage {name!r} is not defined in the zappa settings.")
        seen.append(name)
        own = dict(settings[name])
        parent = own.get("extends")
        if not parent:
            return own
        merged = resolve(parent)
        merged.update(own)
        return merged

    return resolve(stage)


def stage_prefix(config: dict[str, Any], stage: str) -> str:
    return f"{config.get('project_name', 'serverless-django')}-{stage}-"


def lambda_name(config: dict[str, Any], stage: str) -> str:
    """The function name Zappa gives the stage (slugified ``project-stage``)."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{config['project_name']}-{stage}".lower()).strip("-")


def parse_arn(arn: str) -> tuple[str, str, str] | None:
    """(service, region, name) of a DynamoDB table/stream, Kinesis stream or SQS queue ARN.

    The twin of ``config.lambda_entry.source_key``, kept here because Zappa's callback loads this
    file by path, where the ``config`` package is not importable.
    """
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    service, region, resource = parts[2], parts[3], parts[5]
    if service == "dynamodb" and resource.startswith("table/"):
        return (service, region, resource.split("/")[1])
    if service == "kinesis" and resource.startswith("stream/"):
        return (service, region, resource.split("/")[1])
    if service == "sqs" and "/" not in resource:
        return (service, region, resource)
    return None


@dataclass(frozen=True)
class EventSource:
    """One ``event_source`` entry of the settings: which function a table/stream/queue feeds."""

    function: str
    service: str  # dynamodb | kinesis | sqs
    name: str  # the resource name as written for the deployed stage
    suffix: str  # the name without the stage prefix, e.g. "routine-days"
    batch_size: int = 10
    starting_position: str = "TRIM_HORIZON"
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_stream(self) -> bool:
        return self.service in ("dynamodb", "kinesis")


@dataclass(frozen=True)
class Schedule:
    """One scheduled event: ``function`` called by EventBridge on ``expression`` with ``kwargs``."""

    name: str
    function: str
    expression: str
    kwargs: dict[str, Any] = field(default_factory=dict, compare=False)
    index: int = 0

    def rule_name(self, config: dict[str, Any], stage: str) -> str:
        """The rule name Zappa gives it (``get_scheduled_event_name``); its handler reads the
        function from the part after the last '-'."""
        name = self.name if self.name == self.function else f"{self.name}-{self.function}"
        if self.index:
            name = f"{self.index}-{name}"
        if len(name) > 63:
            raise SettingsError(f"Scheduled event name {name!r} is too long for EventBridge (63 characters).")

        def event_name(prefix: str) -> str:
            return f"{prefix:.{max(0, 63 - len(name))}}-{name}"[:64]

        prefix = lambda_name(config, stage)
        result = event_name(prefix)
        if len(result) >= 64:
            result = event_name(hashlib.sha1(prefix.encode()).hexdigest())
        return result


def event_sources(config: dict[str, Any], stage: str) -> list[EventSource]:
    prefix = stage_prefix(config, stage)
    found = []
    for event in config.get("events", []):
        source = event.get("event_source")
        if not source:
            continue
        parsed = parse_arn(source.get("arn", ""))
        if parsed is None:
            raise SettingsError(
                f"Event source of {event.get('function')!r} has an ARN this project does not route: "
                f"{source.get('arn')!r} (DynamoDB table stream, Kinesis stream or SQS queue)."
            )
        service, _region, name = parsed
        known = {"arn", "batch_size", "starting_position", "enabled"}
        found.append(
            EventSource(
                function=event["function"],
                service=service,
                name=name,
                suffix=name.removeprefix(prefix),
                batch_size=int(source.get("batch_size", 100 if service != "sqs" else 10)),
                starting_position=source.get("starting_position", "TRIM_HORIZON"),
                enabled=bool(source.get("enabled", True)),
                options={k: v for k, v in source.items() if k not in known},
            )
        )
    return found


def schedules(config: dict[str, Any]) -> list[Schedule]:
    found = []
    for event in config.get("events", []):
        if event.get("event_source"):
            continue
        expressions = event.get("expressions") or [event.get("expression")]
        for index, expression in enumerate(expressions):
            if not expression:
                raise SettingsError(
                    f"Event {event.get('name') or event.get('function')!r} has no expression."
                )
            found.append(
                Schedule(
                    name=event.get("name", event["function"]),
                    function=event["function"],
                    expression=expression,
                    kwargs=dict(event.get("kwargs") or {}),
                    index=index,
                )
            )
    return found


# --- Reconciliation against the Lambda API ----------------------------------------------------


def resolve_source_arn(source: EventSource, *, clients: Any, name: str | None = None) -> str:
    """The real ARN of the source's table stream, Kinesis stream or queue, looked up by name."""
    name = name or source.name
    if source.service == "dynamodb":
        table = clients("dynamodb").describe_table(TableName=name)["Table"]
        arn = table.get("LatestStreamArn")
        if not arn:
            raise SettingsError(f"Table {name} has no stream: enable one (stream_view_type on its model).")
        return arn
    if source.service == "kinesis":
        return clients("kinesis").describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
            "StreamARN"
        ]
    sqs = clients("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _failure_destination(source: EventSource, *, clients: Any, name: str) -> str | None:
    """An SQS queue ``<name>-dlq`` (or ``options.on_failure``) for records that exhaust retries."""
    target = source.options.get("on_failure", f"{name}-dlq")
    sqs = clients("sqs")
    try:
        url = sqs.get_queue_url(QueueName=target)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return None
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def desired_mapping(
    source: EventSource, *, clients: Any, function_name: str, name: str | None = None
) -> dict:
    """The CreateEventSourceMapping arguments this source should have."""
    name = name or source.name
    wanted: dict[str, Any] = {
        "FunctionName": function_name,
        "EventSourceArn": resolve_source_arn(source, clients=clients, name=name),
        "BatchSize": source.batch_size,
        "Enabled": source.enabled,
        "FunctionResponseTypes": FAILURE_RESPONSE_TYPES,
    }
    if source.is_stream:
        wanted["StartingPosition"] = source.starting_position
        wanted["MaximumRetryAttempts"] = int(source.options.get("maximum_retry_attempts", STREAM_MAX_RETRIES))
        wanted["MaximumRecordAgeInSeconds"] = int(
            source.options.get("maximum_record_age_in_seconds", STREAM_MAX_RECORD_AGE)
        )
        wanted["BisectBatchOnFunctionError"] = True
        destination = _failure_destination(source, clients=clients, name=name)
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
    *, config: dict[str, Any], stage: str, clients: Any, local_prefix: str | None = None
) -> list[tuple[str, str, str]]:
    """Create or update every event source mapping of the stage; return (kind, name, outcome).

    ``clients(service)`` returns a boto3 client. ``local_prefix`` renames resources from the
    deployed stage's prefix to another one (the emulator's), keeping the settings file the source.
    """
    function_name = lambda_name(config, stage)
    outcomes = []
    lambda_client = clients("lambda")
    for source in event_sources(config, stage):
        name = f"{local_prefix}{source.suffix}" if local_prefix is not None else source.name
        wanted = desired_mapping(source, clients=clients, function_name=function_name, name=name)
        existing = lambda_client.list_event_source_mappings(
            FunctionName=function_name, EventSourceArn=wanted["EventSourceArn"]
        ).get("EventSourceMappings", [])
        label = f"{source.service}:{name} -> {source.function}"
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
            lambda_client.update_event_source_mapping(
                UUID=mapping["UUID"], FunctionName=function_name, **changes
            )
            outcomes.append(("mapping", label, "updated"))
        else:
            outcomes.append(("mapping", label, "exists"))
    return outcomes


def zappa_post_callback(zappa_cli: Any) -> None:
    """Zappa ``callbacks.post``: reconcile the mappings right after ``zappa deploy/update``."""
    session = zappa_cli.zappa.boto_session
    outcomes = sync_mappings(
        config=zappa_cli.stage_config,
        stage=zappa_cli.api_stage,
        clients=lambda service: session.client(service),
    )
    for kind, name, outcome in outcomes:
        print(f"{kind:<8} {name}: {outcome}")
