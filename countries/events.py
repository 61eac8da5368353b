"""Lambda handler of countries, written for one SQS record under ``core.aws.batch.batch_handler``.

``on_fetch_requests`` (SQS ``fetch-requests``, batches of up to 10): fetch one request's country.
Only a transient failure raises, so only that message is reported in ``batchItemFailures`` and
comes back; the rest of the batch is done. A message that names no request is never dropped: it
fails every time (core.aws.batch.message_id) and ends in the dead-letter queue after its 4 receives,
where a person can read it.
"""

from __future__ import annotations

from typing import Any

from core.aws.batch import batch_handler, message_id
from countries import services


@batch_handler
def on_fetch_requests(record: dict[str, Any]) -> str:
    request_id = message_id(record, key="request", what="fetch request")
    attributes = record.get("attributes") or {}
    delivery = services.Delivery(
        message_id=str(record.get("messageId", "")),
        receive_count=int(attributes.get("ApproximateReceiveCount") or 1),
    )
    return services.fetch_request_process(request_id=request_id, delivery=delivery)
