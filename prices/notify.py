"""SNS for price drops: the topic, its subscriptions (with filter policies) and the local outbox.

Every alert is one message for one subscriber (it lists the week's drops in their regions and
carries their own unsubscribe link), published to the ``price-drops`` topic with the attributes
``to`` (the address, String) and ``subscription`` (its id, String). SNS keeps one subscription
per topic and address, whose filter policy ``{"to": [address]}`` delivers exactly the messages
for that address; the product's subscriptions of one address (different accounts may each have
one) share it, and it is removed with the last of them.

Delivery (``PRICES_EMAIL_DELIVERY``): ``email`` on Lambda (SNS sends the mail; the address confirms
the subscription from SNS's own first email); ``outbox`` on the laptop, where each subscription is
an SQS queue ``<prefix>prices-outbox-<hash of the address>`` subscribed with the same filter policy (moto applies
filter policies as SNS does) and the sandbox's outbox page shows what arrived there.
boto3 is imported on first use (core.aws).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings

from core import aws
from core.contract.naming import resource_name
from core.errors import DependencyUnavailable

if TYPE_CHECKING:
    from prices.models import Subscription

logger = logging.getLogger(__name__)

TOPIC = "price-drops"
OUTBOX_PREFIX = "prices-outbox-"


class DeliveryUnavailable(DependencyUnavailable):
    """SNS (or the local outbox) refused a subscription change; ``str(exc)`` is for the user."""


@cache
def _topic_arn(endpoint: str | None, region: str, name: str) -> str:
    # CreateTopic of an existing topic answers its ARN: no STS call for the account (STS has no
    # endpoint in the product's VPC template), one SNS call per warm function.
    return aws.client("sns").create_topic(Name=name)["TopicArn"]


def topic_arn() -> str:
    return _topic_arn(aws.endpoint_url(), settings.AWS_REGION, resource_name(TOPIC))


def filter_policy(*, email: str) -> dict[str, Any]:
    return {"to": [email]}


def _outbox_queue(email: str) -> str:
    """Create the address's outbox queue (tagged with the address); its ARN."""
    sqs = aws.client("sqs")
    digest = hashlib.sha256(email.encode()).hexdigest()[:24]
    name = resource_name(f"{OUTBOX_PREFIX}{digest}")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.tag_queue(QueueUrl=url, Tags={"email": email})
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn()}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    return arn


def subscribe(subscription: Subscription) -> str:
    """The SNS subscription of ``subscription``'s address (made, or the one it shares with the
    address's other subscriptions): its ARN. Raises DeliveryUnavailable."""
    from botocore.exceptions import BotoCoreError, ClientError

    policy = filter_policy(email=subscription.email)
    try:
        if settings.PRICES_EMAIL_DELIVERY == "outbox":
            protocol, endpoint = "sqs", _outbox_queue(subscription.email)
        else:
            protocol, endpoint = "email", subscription.email
        answer = aws.client("sns").subscribe(
            TopicArn=topic_arn(),
            Protocol=protocol,
            Endpoint=endpoint,
            Attributes={"FilterPolicy": json.dumps(policy)},
            ReturnSubscriptionArn=True,
        )
    except (BotoCoreError, ClientError) as exc:
        logger.exception("SNS subscribe failed for subscription %s", subscription.pk)
        raise DeliveryUnavailable("Alerts cannot be set up right now; try again in a moment.") from exc
    return answer["SubscriptionArn"]


def confirmed(arn: str) -> bool:
    """Whether the address of SNS's subscription ``arn`` has confirmed it (an email subscription
    waits for the link SNS emailed; SNS deletes one left pending for 3 days: not confirmed either).
    Raises DeliveryUnavailable if SNS cannot say."""
    from botocore.exceptions import BotoCoreError, ClientError

    if not arn.startswith("arn:"):
        return False  # "pending confirmation": an ARN SNS did not give (older subscriptions)
    try:
        attributes = aws.client("sns").get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code", "") in ("NotFound", "InvalidParameter"):
            return False
        raise DeliveryUnavailable("SNS cannot be asked right now; try again in a moment.") from exc
    except BotoCoreError as exc:
        raise DeliveryUnavailable("SNS cannot be asked right now; try again in a moment.") from exc
    return str(attributes.get("PendingConfirmation", "false")).lower() != "true"


def unsubscribe(arn: str) -> None:
    """Remove the SNS subscription (gone already, or still pending confirmation: nothing to do)."""
    from botocore.exceptions import BotoCoreError, ClientError

    if not arn.startswith("arn:"):
        return
    try:
        aws.client("sns").unsubscribe(SubscriptionArn=arn)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("NotFound", "InvalidParameter"):
            return
        raise DeliveryUnavailable("Alerts cannot be changed right now; try again in a moment.") from exc
    except BotoCoreError as exc:
        raise DeliveryUnavailable("Alerts cannot be changed right now; try again in a moment.") from exc


def publish(*, subject: str, message: str, to: str, subscription_id: int) -> str:
    """Publish one subscriber's alert to the topic (SNS delivers it to ``to`` only); SNS's message
    id. Errors propagate (the stream retries)."""
    answer = aws.client("sns").publish(
        TopicArn=topic_arn(),
        Subject=subject,
        Message=message,
        MessageAttributes={
            "to": {"DataType": "String", "StringValue": to},
            "subscription": {"DataType": "String", "StringValue": str(subscription_id)},
        },
    )
    return answer["MessageId"]


def outbox_batches() -> Iterator[tuple[list[dict[str, str]], Callable[[], None]]]:
    """What waits in the local outbox queues (laptop stages only), a batch at a time:
    ``(emails, acknowledge)`` with emails ``[{"message_id", "to", "subject", "body", "subscription"}]``;
    ``acknowledge()`` deletes them from the queue once they are stored."""
    sqs = aws.client("sqs")
    urls = sqs.list_queues(QueueNamePrefix=resource_name(OUTBOX_PREFIX)).get("QueueUrls", [])
    for url in urls:
        to = sqs.list_queue_tags(QueueUrl=url).get("Tags", {}).get("email", "")
        while True:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get(
                "Messages", []
            )
            if not messages:
                break
            emails = []
            for message in messages:
                envelope = json.loads(message["Body"])
                attributes = envelope.get("MessageAttributes") or {}
                emails.append(
                    {
                        "message_id": envelope.get("MessageId", message["MessageId"]),
                        "to": to,
                        "subject": envelope.get("Subject") or "",
                        "body": envelope.get("Message") or "",
                        "subscription": (attributes.get("subscription") or {}).get("Value", ""),
                    }
                )

            def acknowledge(url=url, messages=messages) -> None:
                sqs.delete_message_batch(
                    QueueUrl=url,
                    Entries=[
                        {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)
                    ],
                )

            yield emails, acknowledge
