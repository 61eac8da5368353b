"""Putting records on a Kinesis stream: batches within the service's limits, partial failures retried.

``PutRecords`` takes at most 500 records and 5 MiB per call and may accept some records and refuse
others (``FailedRecordCount``, an ``ErrorCode`` per refused record: throttling or an internal
error). The workshop ignored those, so refused rows were silently lost; here exactly the refused
records are sent again, with exponential backoff and full jitter, up to ``attempts`` times; what is
still refused is counted as unsent (the run shows it). A whole call that fails (the stream is gone,
credentials, the network after botocore's own retries) raises.

Hand-written because it is a short loop over boto3 (already in Lambda's runtime); the Kinesis
Producer Library is a Java daemon.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

MAX_RECORDS_PER_CALL = 500
MAX_BYTES_PER_CALL = 5 * 1024 * 1024  # data and partition keys together
MAX_RECORD_BYTES = 1024 * 1024  # data and partition key of one record
MAX_PARTITION_KEY = 256

Record = tuple[str, bytes]  # (partition key, data)


@dataclass(frozen=True)
class PutOutcome:
    sent: int
    unsent: int
    calls: int
    retried: int  # records sent again after put_records refused them


def _size(record: Record) -> int:
    return len(record[0].encode()) + len(record[1])


def batches(records: Sequence[Record]) -> Iterator[list[Record]]:
    """Consecutive groups within PutRecords' limits (order kept)."""
    batch: list[Record] = []
    size = 0
    for record in records:
        record_size = _size(record)
        if batch and (len(batch) == MAX_RECORDS_PER_CALL or size + record_size > MAX_BYTES_PER_CALL):
            yield batch
            batch, size = [], 0
        batch.append(record)
        size += record_size
    if batch:
        yield batch


def records_put(
    *,
    stream_name: str,
    records: Sequence[Record],
    kinesis: Any,
    attempts: int = 5,
    backoff: float = 0.1,
    backoff_max: float = 2.0,
    on_batch: Callable[[int, int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PutOutcome:
    """Put ``records`` on the stream; ``on_batch(sent, unsent)`` after each batch (running totals)."""
    sent = unsent = calls = retried = 0
    sendable = []
    for key, data in records:
        if not key or len(key) > MAX_PARTITION_KEY or _size((key, data)) > MAX_RECORD_BYTES:
            unsent += 1  # Kinesis would refuse the whole call for it
        else:
            sendable.append((key, data))
    for batch in batches(sendable):
        pending = batch
        for attempt in range(attempts):
            if attempt:
                retried += len(pending)
                sleep(random.uniform(0, min(backoff_max, backoff * 2 ** (attempt - 1))))
            response = kinesis.put_records(
                StreamName=stream_name,
                Records=[{"PartitionKey": key, "Data": data} for key, data in pending],
            )
            calls += 1
            if not response.get("FailedRecordCount"):
                sent += len(pending)
                pending = []
                break
            results = response["Records"]
            refused = [
                record for record, result in zip(pending, results, strict=True) if result.get("ErrorCode")
            ]
            sent += len(pending) - len(refused)
            pending = refused
        unsent += len(pending)
        if on_batch is not None:
            on_batch(sent, unsent)
    return PutOutcome(sent=sent, unsent=unsent, calls=calls, retried=retried)
