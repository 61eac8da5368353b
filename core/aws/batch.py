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

A batch it cannot read is refused before any record runs (:class:`MalformedBatch`, one log
line): ``Records`` that is not a list, a record that is not an object or lacks the identifier
Lambda needs (``messageId``, ``dynamodb.SequenceNumber``, ``kinesis.sequenceNumber``); with no
identifier there is nothing to report it by, and skipping it would drop it. So is a DynamoDB
stream record that should carry a new image (INSERT/MODIFY on a NEW_IMAGE or NEW_AND_OLD_IMAGES
stream) but has none: the stream never sends one, and handlers would skip it. The invocation
fails (Lambda retries it, bisects a stream batch down to the bad record, then hands it to the
on-failure destination).

Both handlers check the database connections before and after the batch (core.aws.connections): a
connection the server dropped must not fail every later batch of a warm container.

Hand-written because it is a dozen lines; AWS Powertools' BatchProcessor does the same but pulls
in a large dependency for it.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from core.aws.connections import fresh_connections

logger = logging.getLogger(__name__)

Record = dict[str, Any]


class MalformedBatch(ValueError):
    """A batch (or a record in it) the handler cannot even identify; nothing in it ran."""


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


def _identified(records: Any) -> list[tuple[str, str]]:
    """(source, identifier) of every record, or MalformedBatch naming the first that has none."""
    if not isinstance(records, list):
        raise _malformed(f"Records must be a list, got {type(records).__name__}.")
    found = []
    for index, record in enumerate(records):
        where = f"Record {index} of {len(records)}"
        if not isinstance(record, dict):
            raise _malformed(f"{where} is not an object ({str(record)[:40]!r}).")
        try:
            found.append((record_source(record), record_identifier(record)))
        except ValueError as exc:
            raise _malformed(f"{where}: {exc}") from None
        except (KeyError, TypeError, AttributeError):
            raise _malformed(
                f"{where} ({record.get('eventSource')}) has no identifier to report it by."
            ) from None
        source, identifier = found[-1]
        if not isinstance(identifier, str) or not identifier:
            raise _malformed(f"{where} ({record.get('eventSource')}) has no identifier to report it by.")
        if source == "dynamodb" and not _has_new_image(record):
            raise _malformed(
                f"{where} (sequence number {identifier}) is a {record.get('eventName') or 'change'} "
                f"without NewImage on a {record['dynamodb']['StreamViewType']} stream."
            )
    return found


def _malformed(message: str) -> MalformedBatch:
    logger.error("Malformed batch refused, nothing ran: %s", message)
    return MalformedBatch(message)


def _has_new_image(record: Record) -> bool:
    """A stream that sends new images (its records say so) sends one with every INSERT and MODIFY."""
    change = record["dynamodb"]
    if record.get("eventName") == "REMOVE" or change.get("StreamViewType") not in (
        "NEW_IMAGE",
        "NEW_AND_OLD_IMAGES",
    ):
        return True
    return isinstance(change.get("NewImage"), dict) and bool(change["NewImage"])


def batch_process(
    *, records: list[Record], handle: Callable[[Record], Any]
) -> dict[str, list[dict[str, str]]]:
    """Run ``handle`` on each record and build the partial batch response."""
    failures: list[dict[str, str]] = []
    name = getattr(handle, "__qualname__", handle)
    for record, (source, identifier) in zip(records, _identified(records), strict=True):
        try:
            handle(record)
        except Exception:
            logger.exception("Record %s failed in %s", identifier, name)
            failures.append({"itemIdentifier": identifier})
            if source != "sqs":
                break  # ordered shard: the retry starts here, later records wait for it
    if failures:
        logger.warning("%d of %d records failed", len(failures), len(records))
    return {"batchItemFailures": failures}


def batch_handler(handle: Callable[[Record], Any]) -> Callable[..., dict[str, list[dict[str, str]]]]:
    """Turn a one-record function into a Lambda batch handler ``(event, context)``."""

    @functools.wraps(handle)
    def handler(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
        if not isinstance(event, dict):
            raise _malformed(f"The event is not an object ({type(event).__name__}).")
        with fresh_connections():
            return batch_process(records=event.get("Records", []), handle=handle)

    handler.handle_record = handle  # type: ignore[attr-defined]
    return handler


# --- Record preludes: what every handler of one kind reads first ----------------------------------


class MalformedMessage(ValueError):
    """An SQS message a handler cannot read. It is never dropped: raised, it is reported as a batch
    item failure, comes back, and after its receives lands on the dead-letter queue where a person
    can read it (``redrive`` sends it again once the sender is fixed)."""


def message_id(record: Record, *, key: str, what: str) -> int:
    """The whole number under ``key`` in an SQS message's JSON body (the id of the ``what`` to do);
    :class:`MalformedMessage` (logged with the body) for anything else."""
    try:
        value = json.loads(record["body"])[key]
        if isinstance(value, bool):
            raise TypeError(value)
        return int(value)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        body = str(record.get("body"))[:200]
        logger.error("Not a %s (no %r): %r", what, key, body)
        raise MalformedMessage(f"Not a {what}: {body!r}") from exc


def new_image(record: Record) -> dict[str, Any] | None:
    """A DynamoDB stream record's new image, raw (``Model.from_raw_data`` reads it); None for a
    REMOVE and for a key-only image: nothing to do."""
    if record.get("eventName") == "REMOVE":
        return None
    return record["dynamodb"].get("NewImage") or None


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
    identified = _identified(records)  # a batch it cannot even identify is refused whole, as above
    parsed: list[Any] = []
    stopped_at: str | None = None
    for record, (_, identifier) in zip(records, identified, strict=True):
        try:
            value = parse(record)
        except Exception:
            logger.exception("Record %s cannot be read by %s", identifier, parse.__qualname__)
            stopped_at = identifier
            break
        if value is not None:
            parsed.append(value)
    if parsed:
        try:
            apply(parsed)
        except Exception:
            logger.exception("A batch of %d records failed in %s", len(records), apply.__qualname__)
            return {"batchItemFailures": [{"itemIdentifier": identified[0][1]}]}
    if stopped_at is not None:
        return {"batchItemFailures": [{"itemIdentifier": stopped_at}]}
    return {"batchItemFailures": []}


def bulk_stream_handler(
    *, parse: Callable[[Record], Any], apply: Callable[[list[Any]], Any]
) -> Callable[..., dict[str, list[dict[str, str]]]]:
    """A Lambda stream handler ``(event, context)`` running :func:`bulk_stream_process`."""

    def handler(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
        if not isinstance(event, dict):
            raise _malformed(f"The event is not an object ({type(event).__name__}).")
        with fresh_connections():
            return bulk_stream_process(records=event.get("Records", []), parse=parse, apply=apply)

    handler.parse_record = parse  # type: ignore[attr-defined]
    return handler
