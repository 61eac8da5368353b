"""The local event runner: zappa_settings.json's schedules and event sources, run on a laptop.

Hand-written because nothing off the shelf does this without Docker: SAM local needs Docker to
invoke anything, and Chalice's local server and ``zappa`` itself serve HTTP only. The runner reads
the same settings file as the deploy, builds events in the shapes AWS sends them (EventBridge
scheduled event, SQS batch, DynamoDB stream batch, Kinesis batch) and hands them to the very
handler Lambda calls (the stage's ``lambda_handler``, which hands schedules to Zappa's own
``LambdaHandler``), with a ``zappa_settings`` module built from the stage's settings, so local
dispatch is Lambda's dispatch. Schedules come from the file; queue and stream sources from the
apps' declarations (core.contract.registry), exactly as the deploy maps them.

What it emulates of Lambda's pollers:

* schedules: ``rate(...)`` counted from start, six-field ``cron(...)`` in UTC (see core.local.schedules);
  ``LOCAL_RATE_MINUTE_SECONDS`` (default 60) makes a rate's minute that many seconds (the recovery
  gate runs the sweeps every few seconds with it, instead of waiting minutes);
* SQS: a batch per queue per tick; reported ``batchItemFailures`` are not deleted, so they come
  back after the queue's visibility timeout and the emulator moves them to the dead-letter queue
  after ``maxReceiveCount`` (moto applies the redrive policy on receive, as SQS does);
* DynamoDB Streams and Kinesis: per shard, in order, polled continuously (the next GetRecords
  follows at once while records keep coming; large batches, ``batch_size`` up to 1,000). The
  retry policy is the one ``core.deploy.event_sources`` gives the mappings on AWS, fit for an
  archive: a failure retries from the first failed sequence number (records before it are not
  repeated), with exponential backoff (1 s doubling to 30 s; the shard waits, other sources go
  on) and no limit on attempts; a batch that fails as a whole is bisected, attempt by attempt,
  down to one record. Only a record that still fails alone and has grown older than
  ``max_record_age`` (``STREAM_MAX_RECORD_AGE``, as on AWS) is given up on: its shard and sequence
  number go to the on-failure queue (``<name>-dlq``) for ``manage.py redrive``, else an ERROR line,
  and the shard moves on.

Resources are this process's (``core.contract.naming.resource_name``: ``AWS_RESOURCE_PREFIX`` + suffix), on
the emulator or whatever endpoint the environment names.
"""

from __future__ import annotations

import base64
import json
import logging
import sys
import threading
import time
import types
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from core.aws import client
from core.aws.streams import created_of, dynamodb_record, kinesis_record, sequence_of
from core.contract.naming import dead_letter_name
from core.contract.registry import EventSource, event_sources
from core.deploy.event_sources import STREAM_MAX_RECORD_AGE
from core.local import schedules as schedule_expressions
from core.stages import Schedule, SettingsError, load_stage, stage_function_name, worker_stage
from core.stages import schedules as stage_schedules

logger = logging.getLogger(__name__)

ACCOUNT = "123456789012"


class RunnerError(RuntimeError):
    """The settings ask for something the local runner cannot honour."""


class LocalContext:
    """The parts of Lambda's context object handlers use."""

    def __init__(self, function_name: str, timeout_seconds: int = 30) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 1024
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = f"arn:aws:lambda:{settings.AWS_REGION}:{ACCOUNT}:function:{function_name}"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def install_settings_module(*, config: dict[str, Any]) -> types.ModuleType:
    """Register the ``zappa_settings`` module Zappa's LambdaHandler reads (as ``zappa package`` writes it).

    The process's own environment is kept (ENVIRONMENT_VARIABLES empty, API_STAGE = this STAGE):
    the laptop's settings, not the deployed stage's, apply here.
    """
    from zappa.handler import LambdaHandler

    module = types.ModuleType("zappa_settings")
    module.__dict__.update(
        APP_MODULE=None,
        EXCEPTION_HANDLER=None,
        DEBUG=False,
        LOG_LEVEL=config.get("log_level", "INFO"),
        BINARY_SUPPORT=bool(config.get("binary_support", True)),
        CONTEXT_HEADER_MAPPINGS={},
        DOMAIN=None,
        BASE_PATH=None,
        ENVIRONMENT_VARIABLES={},
        API_STAGE=settings.STAGE,
        PROJECT_NAME=config.get("project_name", settings.PROJECT_NAME),
        SETTINGS_FILE=None,
        DJANGO_SETTINGS=config.get("django_settings", "config.settings"),
        AWS_EVENT_MAPPING={},  # records are routed by the apps' declarations (core.contract.registry)
        AWS_BOT_EVENT_MAPPING={},
        COGNITO_TRIGGER_MAPPING={},
        ASYNC_RESPONSE_TABLE="",
        ADDITIONAL_TEXT_MIMETYPES=[],
    )
    del module.APP_MODULE  # Zappa tests hasattr(settings, "APP_MODULE") to pick the Django path
    sys.modules["zappa_settings"] = module
    LambdaHandler._LambdaHandler__instance = None
    LambdaHandler.settings = None
    return module


RETRY_BASE_SECONDS = 1.0
RETRY_CAP_SECONDS = 30.0
MAX_GET_RECORDS = 1000  # the most one GetRecords returns (DynamoDB Streams' limit)
DESCRIBE_EVERY_SECONDS = 10.0


@dataclass
class _ShardState:
    position: tuple[str, str] | None = None  # ("AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER", seq)
    iterator: str | None = None  # the last GetRecords' next iterator, while it follows on from position
    attempts: int = 0  # failed deliveries since the shard last moved on
    window: int | None = None  # bisect-on-error: deliver at most this many records next
    retry_at: datetime | None = None  # backoff: not before this


@dataclass
class _Source:
    source: EventSource
    local_name: str
    arn: str | None = None
    queue_url: str | None = None
    shards: dict[str, _ShardState] = field(default_factory=dict)
    shard_ids: list[str] = field(default_factory=list)
    described_at: float = 0.0
    warned: bool = False


@dataclass
class _Timer:
    schedule: Schedule
    expression: schedule_expressions.Rate | schedule_expressions.Cron
    rule_arn: str
    next_at: datetime | None  # None: a cron that never matches again


class EventRunner:
    """Polls the stage's sources and fires its schedules, one :meth:`tick` at a time."""

    def __init__(
        self,
        *,
        stage: str = "dev",
        stdout: Any = None,
        settings_path: Path | str | None = None,
        now: datetime | None = None,
        max_record_age: float = STREAM_MAX_RECORD_AGE,
    ) -> None:
        self.stage = stage
        self.max_record_age = max_record_age  # seconds; -1: retry as long as the stream keeps it
        self.delivered = 0  # stream and queue records handled successfully
        self._now = now or datetime.now(UTC)
        self.stdout = stdout or sys.stdout
        try:
            # The schedules are the worker's (dev_worker for dev) when the stage has one.
            self.config = load_stage(worker_stage(stage, path=settings_path), path=settings_path)
            schedule_list = stage_schedules(self.config)
        except SettingsError as exc:
            raise RunnerError(str(exc)) from exc
        sources = event_sources()
        self.handler = import_string(self.config.get("lambda_handler", "config.lambda_entry.handler"))
        self.function_name = stage_function_name(self.config, settings.STAGE)
        started = now or datetime.now(UTC)
        self.started = started
        self.timers = [self._timer(schedule, started) for schedule in schedule_list]
        self.sources = [_Source(source=s, local_name=s.name()) for s in sources]
        install_settings_module(config=self.config)
        self._stop = threading.Event()

    # --- set-up ---------------------------------------------------------------------------

    def _timer(self, schedule: Schedule, started: datetime) -> _Timer:
        try:
            expression = schedule_expressions.parse(schedule.expression)
        except schedule_expressions.ScheduleError as exc:
            raise RunnerError(f"Event {schedule.name!r} ({schedule.function}): {exc}") from exc
        minute = getattr(settings, "LOCAL_RATE_MINUTE_SECONDS", 60)
        if isinstance(expression, schedule_expressions.Rate) and minute != 60:
            # The recovery gate's short minutes: every rate(...) fires that much sooner or later.
            expression = schedule_expressions.Rate(seconds=max(1, round(expression.seconds * minute / 60)))
        rule = schedule.rule_name(self.config, settings.STAGE)
        arn = f"arn:aws:events:{settings.AWS_REGION}:{ACCOUNT}:rule/{rule}"
        return _Timer(schedule, expression, arn, expression.next_after(started, start=started))

    def describe(self) -> list[str]:
        lines = [
            f"Event runner on the {settings.STAGE} stage: the events of zappa_settings.json's "
            f"{self.stage!r} ({len(self.timers)} schedules) and {len(self.sources)} declared sources"
        ]
        for timer in self.timers:
            lines.append(
                f"  schedule {timer.schedule.name}: {timer.schedule.expression} -> {timer.schedule.function} "
                f"{json.dumps(timer.schedule.kwargs)} (next {timer.next_at:%Y-%m-%d %H:%M} UTC)"
            )
        for entry in self.sources:
            lines.append(f"  {entry.source.service} {entry.local_name} -> {entry.source.function}")
        return lines

    # --- the loop -------------------------------------------------------------------------

    def tick(self, now: datetime | None = None) -> int:
        """Fire due schedules and poll every source once; return how many invocations ran."""
        now = now or datetime.now(UTC)
        self._now = now
        invocations = 0
        for timer in self.timers:
            if timer.next_at is not None and timer.next_at <= now:
                self._fire(timer, timer.next_at)
                timer.next_at = timer.expression.next_after(now, start=self.started)
                invocations += 1
        for entry in self.sources:
            try:
                if entry.source.service == "sqs":
                    invocations += self._poll_sqs(entry)
                elif entry.source.service == "dynamodb":
                    invocations += self._poll_dynamodb(entry)
                else:
                    invocations += self._poll_kinesis(entry)
            except Exception as exc:  # the emulator or AWS said no: say so, keep the runner alive
                entry.described_at = 0.0  # look the source up again next time
                for state in entry.shards.values():
                    state.iterator = None
                if not entry.warned:
                    self._say(f"! {entry.source.service} {entry.local_name}: cannot poll ({exc})")
                    entry.warned = True
        return invocations

    def run(self, *, interval: float = 1.0, close_connections: bool = True) -> None:
        """Tick until :meth:`stop` is called; while there is work, the next tick follows at once."""
        from django.db import connections

        while not self._stop.is_set():
            busy = False
            try:
                busy = self.tick() > 0
            except Exception:
                logger.exception("Event runner tick failed")
            finally:
                if close_connections:
                    connections.close_all()
            if not busy:
                self._stop.wait(interval)

    def stop(self) -> None:
        self._stop.set()

    def pending(self) -> int:
        """How many shards are waiting to retry a failed record."""
        return sum(1 for e in self.sources for s in e.shards.values() if s.attempts)

    def drain(self, *, timeout: float = 8.0, close_connections: bool = True) -> str:
        """Stop the loop, then tick until the streams and queues are caught up (or ``timeout``).

        For Ctrl-C and SIGTERM: what was acknowledged and not yet archived is archived now.
        Whatever is still failing stays in the stream (and the emulator's journal) for the next start.
        """
        from django.db import connections

        self.stop()
        deadline = time.monotonic() + timeout
        before = self.delivered
        while time.monotonic() < deadline:
            try:
                busy = self.tick() > 0
            except Exception:
                logger.exception("Event runner tick failed while draining")
                busy = False
            finally:
                if close_connections:
                    connections.close_all()
            if not busy and not self.pending():
                break
            if not busy:
                time.sleep(0.2)
        return (
            f"drained: {self.delivered - before} records handled, "
            f"{self.pending()} shards still retrying (kept in the stream)"
        )

    # --- delivery -------------------------------------------------------------------------

    def _say(self, line: str) -> None:
        self.stdout.write(f"[events] {line}\n" if not line.endswith("\n") else f"[events] {line}")
        flush = getattr(self.stdout, "flush", None)
        if flush:
            flush()

    def invoke(self, event: dict[str, Any]) -> Any:
        """Deliver one event exactly as Lambda would: to the stage's handler."""
        return self.handler(
            event, LocalContext(self.function_name, int(self.config.get("timeout_seconds", 30)))
        )

    def _fire(self, timer: _Timer, at: datetime) -> None:
        event = {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": ACCOUNT,
            "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": settings.AWS_REGION,
            "resources": [timer.rule_arn],
            "detail": {},
            "kwargs": timer.schedule.kwargs,
        }
        started = time.perf_counter()
        try:
            result = self.invoke(event)
        except Exception as exc:
            self._say(f"schedule {timer.schedule.name} FAILED: {exc}")
            return
        summary = result.get("summary") if isinstance(result, dict) else result
        self._say(
            f"schedule {timer.schedule.name} ran in {(time.perf_counter() - started) * 1000:.0f} ms: {summary}"
        )

    def _deliver_batch(
        self, entry: _Source, records: list[dict[str, Any]], ids: list[str]
    ) -> set[str] | None:
        """Invoke with the batch; the identifiers that failed, or None if the whole invocation failed."""
        try:
            result = self.invoke({"Records": records})
        except Exception as exc:
            self._say(
                f"{entry.source.service} {entry.local_name}: {len(records)} records -> {entry.source.function} RAISED {exc!r}"
            )
            return None
        failed = (
            {item["itemIdentifier"] for item in (result or {}).get("batchItemFailures", [])}
            if isinstance(result, dict)
            else set()
        )
        self._say(
            f"{entry.source.service} {entry.local_name}: {len(records)} records -> {entry.source.function}, "
            f"{len(failed)} failed"
        )
        failed &= set(ids)
        if entry.source.is_stream:
            done = ids.index(min(failed, key=int)) if failed else len(ids)
        else:
            done = len(ids) - len(failed)
        self.delivered += done
        return failed

    # --- SQS ------------------------------------------------------------------------------

    def _poll_sqs(self, entry: _Source) -> int:
        sqs = client("sqs")
        if entry.queue_url is None:
            entry.queue_url = sqs.get_queue_url(QueueName=entry.local_name)["QueueUrl"]
            entry.arn = sqs.get_queue_attributes(QueueUrl=entry.queue_url, AttributeNames=["QueueArn"])[
                "Attributes"
            ]["QueueArn"]
        messages = sqs.receive_message(
            QueueUrl=entry.queue_url,
            MaxNumberOfMessages=max(1, min(entry.source.batch_size, 10)),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not messages:
            return 0
        records = [self._sqs_record(entry, message) for message in messages]
        failed = self._deliver_batch(entry, records, [m["MessageId"] for m in messages])
        if failed is None:
            return 1  # nothing deleted: the whole batch comes back after the visibility timeout
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            sqs.delete_message_batch(
                QueueUrl=entry.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(done[start : start + 10])
                ],
            )
        return 1

    @staticmethod
    def _sqs_record(entry: _Source, message: dict[str, Any]) -> dict[str, Any]:
        attributes = {
            name: {
                "stringValue": value.get("StringValue"),
                "binaryValue": base64.b64encode(value["BinaryValue"]).decode()
                if value.get("BinaryValue")
                else None,
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": value.get("DataType"),
            }
            for name, value in (message.get("MessageAttributes") or {}).items()
        }
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": attributes,
            "md5OfBody": message.get("MD5OfBody"),
            "eventSource": "aws:sqs",
            "eventSourceARN": entry.arn,
            "awsRegion": settings.AWS_REGION,
        }

    # --- streams --------------------------------------------------------------------------

    def _iterator(self, get_iterator: Any, state: _ShardState, **kwargs: Any) -> str:
        if state.position is None:
            return get_iterator(ShardIteratorType="TRIM_HORIZON", **kwargs)["ShardIterator"]
        kind, sequence = state.position
        return get_iterator(ShardIteratorType=kind, SequenceNumber=sequence, **kwargs)["ShardIterator"]

    def _waiting(self, state: _ShardState) -> bool:
        """True while the shard backs off after a failure."""
        return state.retry_at is not None and self._now < state.retry_at

    def _after_delivery(
        self,
        entry: _Source,
        shard_id: str,
        state: _ShardState,
        records: list[dict[str, Any]],
        sequences: list[str],
        created: list[float],
        next_iterator: str | None = None,
    ) -> None:
        """Deliver the shard's next batch (bisected if asked) and move or hold its checkpoint."""
        window = min(state.window or len(records), len(records))
        records, sequences = records[:window], sequences[:window]
        failed = self._deliver_batch(entry, records, sequences)
        if failed is not None and not failed:
            state.position = ("AFTER_SEQUENCE_NUMBER", sequences[-1])
            state.iterator = next_iterator if window == len(created) else None
            state.attempts, state.window, state.retry_at = 0, None, None
            return
        state.iterator = None
        # Lambda retries from the lowest failed sequence number (the whole batch if it raised).
        first = min(failed, key=int) if failed else sequences[0]
        index = sequences.index(first)
        state.position = ("AT_SEQUENCE_NUMBER", first)
        if index > 0:  # the records before it are done: retry from it, the batch bisected there
            state.attempts, state.window = 1, None
        else:
            state.attempts += 1
            if len(records) > 1:  # bisect-on-error: halve until the failing record is alone
                state.window = max(1, len(records) // 2)
            elif self.max_record_age >= 0 and self._age(created[0]) > self.max_record_age:
                # Alone, still failing, and older than the mapping keeps retrying: give up on it.
                self._give_up(entry, shard_id, records, sequences, state.attempts)
                state.position = ("AFTER_SEQUENCE_NUMBER", first)
                state.attempts, state.window, state.retry_at = 0, None, None
                return
        delay = min(RETRY_BASE_SECONDS * 2 ** (state.attempts - 1), RETRY_CAP_SECONDS)
        state.retry_at = self._now + timedelta(seconds=delay)

    def _age(self, created: float) -> float:
        return self._now.timestamp() - created

    def _give_up(
        self, entry: _Source, shard_id: str, records: list, sequences: list[str], attempts: int
    ) -> None:
        info_key = "DDBStreamBatchInfo" if entry.source.service == "dynamodb" else "KinesisBatchInfo"
        message = {
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(),
            "requestContext": {
                "functionArn": f"arn:aws:lambda:{settings.AWS_REGION}:{ACCOUNT}:function:{self.function_name}",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": attempts,
            },
            info_key: {
                "shardId": shard_id,
                "startSequenceNumber": sequences[0],
                "endSequenceNumber": sequences[-1],
                "batchSize": len(records),
                "streamArn": entry.arn,
            },
        }
        dlq = dead_letter_name(entry.local_name)
        sqs = client("sqs")
        try:
            url = sqs.get_queue_url(QueueName=dlq)["QueueUrl"]
        except sqs.exceptions.QueueDoesNotExist:
            logger.error(
                "Records %s..%s of %s exhausted retries; no queue %s: %s",
                sequences[0],
                sequences[-1],
                entry.local_name,
                dlq,
                message,
            )
            self._say(
                f"! {entry.local_name} {sequences[0]}..{sequences[-1]}: retries exhausted, no on-failure queue {dlq}"
            )
            return
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(message))
        self._say(f"! {entry.local_name} {sequences[0]}..{sequences[-1]}: retries exhausted, sent to {dlq}")

    def _limit(self, entry: _Source) -> int:
        return max(1, min(entry.source.batch_size, MAX_GET_RECORDS))

    def _described(self, entry: _Source) -> bool:
        """True when the source's ARN and shards were looked up recently (not on every poll)."""
        return (
            bool(entry.arn and entry.shard_ids)
            and time.monotonic() - entry.described_at < DESCRIBE_EVERY_SECONDS
        )

    def _poll_dynamodb(self, entry: _Source) -> int:
        streams = client("dynamodbstreams")
        if not self._described(entry):
            table = client("dynamodb").describe_table(TableName=entry.local_name)["Table"]
            arn = table.get("LatestStreamArn")
            if not arn:
                raise RunnerError(f"table {entry.local_name} has no stream")
            if arn != entry.arn:  # a new stream (the table was recreated): start it from its beginning
                entry.shards.clear()
            entry.arn = arn
            shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
            entry.shard_ids = [shard["ShardId"] for shard in shards]
            entry.described_at = time.monotonic()
        invocations = 0
        for shard_id in entry.shard_ids:
            state = entry.shards.setdefault(shard_id, _ShardState())
            if self._waiting(state):
                continue
            iterator = state.iterator or self._iterator(
                streams.get_shard_iterator, state, StreamArn=entry.arn, ShardId=shard_id
            )
            response = streams.get_records(ShardIterator=iterator, Limit=self._limit(entry))
            if not response["Records"]:
                state.iterator = response.get("NextShardIterator")
                continue
            records = [dynamodb_record(raw, arn=entry.arn or "") for raw in response["Records"]]
            self._after_delivery(
                entry,
                shard_id,
                state,
                records,
                [sequence_of(r) for r in records],
                [created_of(r) for r in records],
                response.get("NextShardIterator"),
            )
            invocations += 1
        return invocations

    def _poll_kinesis(self, entry: _Source) -> int:
        kinesis = client("kinesis")
        if not self._described(entry):
            entry.arn = kinesis.describe_stream_summary(StreamName=entry.local_name)[
                "StreamDescriptionSummary"
            ]["StreamARN"]
            entry.shard_ids = [
                s["ShardId"] for s in kinesis.list_shards(StreamName=entry.local_name)["Shards"]
            ]
            entry.described_at = time.monotonic()
        invocations = 0
        for shard_id in entry.shard_ids:
            state = entry.shards.setdefault(shard_id, _ShardState())
            if self._waiting(state):
                continue
            iterator = state.iterator
            if iterator is None and state.position is None:
                iterator = kinesis.get_shard_iterator(
                    StreamName=entry.local_name, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            elif iterator is None and state.position is not None:
                kind, sequence = state.position
                iterator = kinesis.get_shard_iterator(
                    StreamName=entry.local_name,
                    ShardId=shard_id,
                    ShardIteratorType=kind,
                    StartingSequenceNumber=sequence,
                )["ShardIterator"]
            response = kinesis.get_records(ShardIterator=iterator, Limit=self._limit(entry))
            if not response["Records"]:
                state.iterator = response.get("NextShardIterator")
                continue
            role = self.config.get("role_arn", "")
            records = [
                kinesis_record(raw, arn=entry.arn or "", shard_id=shard_id, role=role)
                for raw in response["Records"]
            ]
            self._after_delivery(
                entry,
                shard_id,
                state,
                records,
                [sequence_of(r) for r in records],
                [created_of(r) for r in records],
                response.get("NextShardIterator"),
            )
            invocations += 1
        return invocations


_background: tuple[EventRunner, threading.Thread] | None = None


def start_in_background(
    *, stdout: Any = None, stage: str | None = None, interval: float = 1.0
) -> EventRunner | None:
    """Start the runner in a daemon thread (used by ``devserver``); it dies with the process."""
    global _background
    import atexit
    import os

    if _background is not None:
        return _background[0]
    out = stdout or sys.stdout
    try:
        runner = EventRunner(stage=stage or os.environ.get("EVENTS_STAGE", "dev"), stdout=out)
    except RunnerError as exc:
        out.write(f"[events] not started: {exc}\n")
        return None
    for line in runner.describe():
        out.write(f"[events] {line}\n")
    thread = threading.Thread(
        target=runner.run, kwargs={"interval": interval}, name="event-runner", daemon=True
    )
    thread.start()
    atexit.register(runner.stop)
    _background = (runner, thread)
    return runner


def drain_background(*, timeout: float = 8.0) -> str | None:
    """Stop the background runner, wait for its tick, then drain it (``devserver`` on Ctrl-C/SIGTERM)."""
    global _background
    if _background is None:
        return None
    runner, thread = _background
    runner.stop()
    started = time.monotonic()
    thread.join(timeout=timeout)
    if thread.is_alive():
        return "not drained: a tick is still running"
    _background = None
    return runner.drain(timeout=max(0.5, timeout - (time.monotonic() - started)))
