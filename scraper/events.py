"""Lambda handlers of the scraper, each written for one record under ``core.aws.batch.batch_handler``.

* ``on_scrape_requests`` (SQS ``scrape-requests``): run one queued scrape. A redelivered message
  finds its run already claimed and does nothing; an upstream failure ends the run as failed (the
  HTTP client already retried), so only the database or the streams failing make SQS try again.
  A message that names no run is never dropped: it fails (core.aws.batch.message_id) and ends in the
  dead-letter queue after its receives, where a person can read it.
* ``on_movie_records`` (Kinesis ``movie-records``): validate, type and upsert one movie. A malformed
  record is stored in the error table and succeeds, so a poison record never blocks its shard;
  only transient failures (DynamoDB, the database) are reported, and the shard is retried from
  there. A redelivered record changes nothing (services.movie_record_store). The records of a
  batch are counted on their runs once, when the batch is done (services.stream_batch).
* ``on_scrape_errors`` (Kinesis ``scrape-error-records``): store one page error in the error table.
"""

from __future__ import annotations

from typing import Any

from core.aws.batch import batch_handler, message_id
from core.aws.connections import with_fresh_connections
from scraper import services


@batch_handler
def on_scrape_requests(record: dict[str, Any]) -> None:
    services.scrape_run_execute(run_id=message_id(record, key="run", what="scrape request"))


@batch_handler
def _movie_record(record: dict[str, Any]) -> None:
    services.movie_record_store(record=services.StreamRecord.from_lambda(record))


@batch_handler
def _page_error_record(record: dict[str, Any]) -> None:
    services.page_error_store(record=services.StreamRecord.from_lambda(record))


@with_fresh_connections  # around the batch AND its counts (core.aws.connections)
def on_movie_records(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
    """One movie per record; the batch's counts are written once, at its end."""
    with services.stream_batch():
        return _movie_record(event, context)


@with_fresh_connections
def on_scrape_errors(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
    """One page error per record; the batch's counts are written once, at its end."""
    with services.stream_batch():
        return _page_error_record(event, context)
