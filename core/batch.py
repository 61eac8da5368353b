"""Partial batch responses for SQS, DynamoDB Streams and Kinesis handlers.

A handler decorated with ``@batch_handler`` is written for ONE record; the decorator runs it over
the batch Lambda delivered and returns ``{"batchItemFailures": [...]}`` (the mapping must have
``FunctionResponseTypes=["ReportBatchItemFailures"]``, which ``sync_event_sources`` sets):

* SQS: every record is tried; each failed one is reported by ``messageId`` and only those come
  back after the visibility timeout (and reach the dead-letter queue after ``maxReceiveCount``).
* DynamoDB Streams and Kinesis: records of a shard are ordered, and Lambda retries a shard from
  the *lowest* reported sequence number. So processing stops at the first failure and reports
  that record's sequence number: records before it are checkpointed and never repeated, records
  after it are left for the retry (running them now would only run them twice).

Hand-written because it is a dozen lines; AWS Powertools' BatchProcessor does the same but pulls
in a large dependency for it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Record = dict[str, Any]


def record_source(record: Record) -> str:
    """'sqs', 'dynamodb' or 'kinesis' for a record as Lambda delivers it."""
    source = record.get("eventSource") or record.get("EventSource") or ""
    kind = source.removeprefix("aws:")
    if kind not in ("sqs", "dynamodb", "kinesis"):
        raise ValueError(f"Not a batch record (eventSource={source!r}).")
    return kind


def record_identifier(record: Record) -> str:
    """The identifier Lambda expects in ``batchItemFailures`` for this record."""
    kind = record_source(record)
    if kind == "sqs":
        return record["messageId"]
    if kind == "dynamodb":
        return record["dynamodb"]["SequenceNumber"]
    return record["kinesis"]["sequenceNumber"]


def batch_process(
    *, records: list[Record], handle: Callable[[Record], Any]
) -> dict[str, list[dict[str, str]]]:
    """Run ``handle`` on each record and build the partial batch response."""
    failures: list[dict[str, str]] = []
    for record in records:
        try:
            handle(record)
        except Exception:
            identifier = record_identifier(record)
            logger.exception("Record %s failed in %s", identifier, getattr(handle, "__qualname__", handle))
            failures.append({"itemIdentifier": identifier})
            if record_source(record) != "sqs":
                break  # ordered shard: the retry starts here, later records wait for it
    if failures:
        logger.warning("%d of %d records failed", len(failures), len(records))
    return {"batchItemFailures": failures}


def batch_handler(handle: Callable[[Record], Any]) -> Callable[..., dict[str, list[dict[str, str]]]]:
    """Turn a one-record function into a Lambda batch handler ``(event, context)``."""

    @functools.wraps(handle)
    def handler(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
        return batch_process(records=event.get("Records") or [], handle=handle)

    handler.handle_record = handle  # type: ignore[attr-defined]
    return handler


# --- Bulk handlers: a stream batch applied in one call ---------------------------------------


def bulk_stream_process(
    *, records: list[Record], parse: Callable[[Record], Any], apply: Callable[[list[Any]], Any]
) -> dict[str, list[dict[str, str]]]:
    """Parse a shard's records in order, then ``apply`` the parsed ones in ONE call (one transaction).

    For handlers whose per-record cost is a round trip (an archive: 1 transaction per record ran
    ~12 records/s on SQLite). ``parse`` returns a value or None (nothing to do); a record it cannot
    parse stops the batch there: the records before it are applied and it is reported, as
    :func:`batch_process` does. If ``apply`` fails, nothing was applied and the batch's first record
    is reported, so the mapping retries (and bisects) the whole batch.
    """
    parsed: list[Any] = []
    stopped_at: Record | None = None
    for record in records:
        try:
            value = parse(record)
        except Exception:
            logger.exception("Record %s cannot be read by %s", record_identifier(record), parse.__qualname__)
            stopped_at = record
            break
        if value is not None:
            parsed.append(value)
    if parsed:
        try:
            apply(parsed)
        except Exception:
            logger.exception("A batch of %d records failed in %s", len(records), apply.__qualname__)
            return {"batchItemFailures": [{"itemIdentifier": record_identifier(records[0])}]}
    if stopped_at is not None:
        return {"batchItemFailures": [{"itemIdentifier": record_identifier(stopped_at)}]}
    return {"batchItemFailures": []}


def bulk_stream_handler(
    *, parse: Callable[[Record], Any], apply: Callable[[list[Any]], Any]
) -> Callable[..., dict[str, list[dict[str, str]]]]:
    """A Lambda stream handler ``(event, context)`` running :func:`bulk_stream_process`."""

    def handler(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
        return bulk_stream_process(records=event.get("Records") or [], parse=parse, apply=apply)

    handler.parse_record = parse  # type: ignore[attr-defined]
    return handler
