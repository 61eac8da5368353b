"""SQS as the tests see it: send a message that comes back at once when it fails, read what waits."""

from __future__ import annotations


def _url(suffix: str) -> str:
    from core.aws import client
    from core.contract.naming import resource_name

    return client("sqs").get_queue_url(QueueName=resource_name(suffix))["QueueUrl"]


def send_retried_at_once(suffix: str, body: str) -> None:
    """Send ``body`` to the queue ``suffix``, whose visibility timeout becomes 0: a failed receive
    comes back on the next tick, so a drain reaches the dead-letter queue in a few ticks."""
    from core.aws import client

    sqs, url = client("sqs"), _url(suffix)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0"})
    sqs.send_message(QueueUrl=url, MessageBody=body)


def waiting_bodies(suffix: str) -> list[str]:
    """The bodies waiting on the queue ``suffix`` (e.g. "scrape-requests-dlq"), left there."""
    from core.aws import client

    answer = client("sqs").receive_message(QueueUrl=_url(suffix), MaxNumberOfMessages=10, VisibilityTimeout=0)
    return [message["Body"] for message in answer.get("Messages", [])]
