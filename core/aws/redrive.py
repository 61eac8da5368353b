"""The failures waiting in the stage's on-failure and dead-letter queues, and their redrive.

A stream mapping (on AWS, or the local runner) that gives up on records sends their *description*
to ``<table>-dlq``: shard, first and last sequence number, the stream's ARN; never the records.
:func:`failures_redrive` re-reads those records from the stream (AWS keeps a DynamoDB stream's records
24 h, and the mappings give up after 12 h: core.deploy.event_sources), runs the declared handler on
them and deletes the message only when the handler reports no failure. A queue source's DLQ holds
the messages themselves; they are handed to the handler as an SQS batch of one. The same code runs
against the emulator and against AWS (``manage.py redrive``, or ``zappa manage <stage> redrive``).

Hand-written: AWS's own redrive (``StartMessageMoveTask``) moves SQS messages back to their queue,
which an on-failure *description* cannot use; nothing re-reads a stream range for a handler.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from core.aws.streams import read_range
from core.contract.naming import dead_letter_name
from core.contract.registry import EventSource, event_sources

LIST_VISIBILITY = 30  # a listed message is hidden while the listing reads on, then shown again
REDRIVE_VISIBILITY = 120  # a message being redriven is hidden meanwhile (then deleted or shown again)


@dataclass
class Failure:
    """One waiting message of an on-failure or dead-letter queue."""

    source: EventSource
    queue: str
    message_id: str
    receipt: str
    body: str
    received: int  # how many times the message was received (redrive attempts and listings)
    kind: str = "queue"  # "stream": a description of records in a stream; "queue": the message itself
    info: dict[str, Any] = field(default_factory=dict)
    condition: str = ""
    timestamp: str = ""

    @property
    def summary(self) -> str:
        if self.kind == "stream":
            return (
                f"{self.info.get('batchSize', '?')} records of shard {self.info.get('shardId')} "
                f"{self.info.get('startSequenceNumber')}..{self.info.get('endSequenceNumber')}"
                f" ({self.condition or 'failed'} {self.timestamp})"
            )
        return f"message {self.message_id}: {self.body[:80]}"


def _parse(source: EventSource, queue: str, message: dict[str, Any]) -> Failure:
    failure = Failure(
        source=source,
        queue=queue,
        message_id=message["MessageId"],
        receipt=message["ReceiptHandle"],
        body=message["Body"],
        received=int(message.get("Attributes", {}).get("ApproximateReceiveCount", 0)),
    )
    if source.is_stream:
        try:
            document = json.loads(message["Body"])
        except ValueError:
            document = {}
        info = document.get("DDBStreamBatchInfo") or document.get("KinesisBatchInfo")
        if isinstance(info, dict):
            failure.kind = "stream"
            failure.info = info
            failure.condition = (document.get("requestContext") or {}).get("condition", "")
            failure.timestamp = document.get("timestamp", "")
    return failure


def _queues(stage: str | None, clients: Any) -> list[tuple[EventSource, str, str]]:
    """(source, queue name, queue URL) of every declared source's failure queue that exists."""
    sqs = clients("sqs")
    found = []
    for source in event_sources():
        name = dead_letter_name(source.name(stage=stage))
        try:
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        except sqs.exceptions.QueueDoesNotExist:
            continue
        found.append((source, name, url))
    return found


def _receive(sqs: Any, url: str, *, visibility: int, limit: int) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    while len(seen) < limit:
        messages = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=visibility,
            AttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        new = [m for m in messages if m["MessageId"] not in seen]
        if not new:
            break
        for message in new:
            seen[message["MessageId"]] = message
    return list(seen.values())[:limit]


def failures_list(*, stage: str | None = None, clients: Any = None, limit: int = 100) -> list[Failure]:
    """Every waiting failure (up to ``limit`` per queue), without taking it off its queue."""
    from core.aws import client

    clients = clients or client
    sqs = clients("sqs")
    failures = []
    for source, name, url in _queues(stage, clients):
        messages = _receive(sqs, url, visibility=LIST_VISIBILITY, limit=limit)
        _show_again(sqs, url, messages)
        failures += [_parse(source, name, message) for message in messages]
    return failures


def _show_again(sqs: Any, url: str, messages: list[dict[str, Any]]) -> None:
    """Make received messages visible at once (a listing or a dry run takes nothing off the queue)."""
    for start in range(0, len(messages), 10):
        sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                for n, m in enumerate(messages[start : start + 10])
            ],
        )


@dataclass
class Outcome:
    failure: Failure
    result: str  # "redriven", "failed", "gone", "incomplete", "would redrive"
    detail: str = ""


def _records_of(failure: Failure, *, stage: str | None, clients: Any) -> list[dict[str, Any]]:
    info = failure.info
    return read_range(
        service=failure.source.service,
        clients=clients,
        arn=info["streamArn"],
        name=failure.source.name(stage=stage),
        shard_id=info["shardId"],
        start=str(info["startSequenceNumber"]),
        end=str(info["endSequenceNumber"]),
    )


def _queue_record(failure: Failure, *, stage: str | None, clients: Any) -> dict[str, Any]:
    sqs = clients("sqs")
    url = sqs.get_queue_url(QueueName=failure.source.name(stage=stage))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return {
        "messageId": failure.message_id,
        "receiptHandle": failure.receipt,
        "body": failure.body,
        "attributes": {},
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": settings.AWS_REGION,
    }


def failure_redrive(
    *, failure: Failure, stage: str | None = None, clients: Any = None, dry_run: bool = False
) -> Outcome:
    """Run the declared handler on one failure's records; delete its message only if all succeed."""
    from core.aws import client

    clients = clients or client
    sqs = clients("sqs")
    url = sqs.get_queue_url(QueueName=failure.queue)["QueueUrl"]

    def keep(result: str, detail: str) -> Outcome:
        if not dry_run:  # visible again at once: the next redrive or listing sees it
            sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=failure.receipt, VisibilityTimeout=0)
        return Outcome(failure, result, detail)

    if failure.kind == "stream":
        try:
            records = _records_of(failure, stage=stage, clients=clients)
        except Exception as exc:  # the stream or shard no longer exists (a table recreated, 24 h past)
            return keep("gone", f"the stream no longer has these records ({exc.__class__.__name__})")
        expected = int(failure.info.get("batchSize") or len(records))
        if not records:
            return keep("gone", "the stream no longer has these records")
        if len(records) < expected:
            return keep("incomplete", f"only {len(records)} of {expected} records are still in the stream")
    elif failure.source.is_stream:
        return keep("failed", "not an on-failure message (no stream batch info)")
    else:
        records = [_queue_record(failure, stage=stage, clients=clients)]
    if dry_run:
        return Outcome(failure, "would redrive", f"{len(records)} records -> {failure.source.function}")
    try:
        result = import_string(failure.source.function)({"Records": records}, None)
    except Exception as exc:
        return keep("failed", f"{failure.source.function} raised {exc!r}")
    failed = (result or {}).get("batchItemFailures") if isinstance(result, dict) else None
    if failed:
        return keep("failed", f"{len(failed)} of {len(records)} records failed again")
    sqs.delete_message(QueueUrl=url, ReceiptHandle=failure.receipt)
    return Outcome(failure, "redriven", f"{len(records)} records -> {failure.source.function}")


def failures_redrive(
    *, stage: str | None = None, clients: Any = None, dry_run: bool = False, limit: int = 100
) -> list[Outcome]:
    """Redrive every waiting failure (up to ``limit`` per queue)."""
    from core.aws import client

    clients = clients or client
    sqs = clients("sqs")
    outcomes = []
    for source, name, url in _queues(stage, clients):
        messages = _receive(sqs, url, visibility=REDRIVE_VISIBILITY, limit=limit)
        for message in messages:
            failure = _parse(source, name, message)
            outcomes.append(failure_redrive(failure=failure, stage=stage, clients=clients, dry_run=dry_run))
        if dry_run:
            _show_again(sqs, url, messages)
    return outcomes
