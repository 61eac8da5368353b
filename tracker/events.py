"""Lambda handler of the tracker's ``poll-shards`` queue (the every-minute poll's fan-out).

``poll_orders`` sends one message per shard when the due orders do not fit one run
(services.orders_poll_fan_out); each message here polls its shard by the earlier of the minute's
deadline (in the message) and this invocation's (core.aws.deadlines).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from core.aws.batch import batch_process
from core.aws.connections import with_fresh_connections
from core.aws.deadlines import invocation_deadline
from tracker import services

logger = logging.getLogger(__name__)


@with_fresh_connections
def on_poll_shard(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
    def handle(record: dict[str, Any]) -> None:
        try:
            body = json.loads(record["body"])
            shard, of, until = int(body["shard"]), int(body["of"]), float(body["until"])
        except (ValueError, KeyError, TypeError):
            logger.warning("Ignored a poll-shard message that names no shard: %.200r", record.get("body"))
            return
        summary = services.order_shard_poll(shard=shard, of=of, until=until)
        if summary is not None:
            logger.info("Poll shard %d/%d: %s", shard, of, summary.line())

    with invocation_deadline(context):
        return batch_process(records=event.get("Records", []), handle=handle)
