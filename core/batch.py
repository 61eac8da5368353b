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
