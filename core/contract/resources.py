"""What an app declares besides its pages: SQS queues, SNS topics, Kinesis streams, event sources.

An app lists them on its AppConfig (``aws_resources``, ``event_sources``; see core.apps). Nothing
heavy is imported here (AppConfigs load on every Lambda cold start); ``core.deploy.provisioning``
creates the resources, ``core.deploy.iam`` grants access to them, ``core.deploy.event_sources``
maps them onto the function on AWS and ``core.local.runner`` polls them on the laptop.

Every name here is a *suffix*: the stage's prefix is added by :func:`core.contract.naming.resource_name`.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.contract.naming import dead_letter_name, resource_name


@dataclass(frozen=True)
class Resource:
    """A named resource of the stage."""

    name: str

    @property
    def full_name(self) -> str:
        return resource_name(self.name)


@dataclass(frozen=True)
class Queue(Resource):
    """An SQS queue, with its dead-letter queue ``<name>-dlq`` unless ``dead_letter`` is False.

    ``dead_letter=False`` is a queue that is itself a dead end, such as the on-failure queue
    derived for a stream source (never declared by hand).
    """

    visibility_timeout: int = 60
    max_receive_count: int = 3
    dead_letter: bool = True
    # Seconds SQS keeps a message: the longest it allows (14 days) for dead ends a person reads.
    retention_seconds: int = 4 * 24 * 3600

    @property
    def dlq_name(self) -> str:
        return dead_letter_name(self.full_name)


@dataclass(frozen=True)
class Topic(Resource):
    """An SNS topic. ``subscriptions=True``: the function itself subscribes and unsubscribes
    endpoints (users' alerts), so its role may manage the topic's subscriptions too."""

    subscriptions: bool = False


@dataclass(frozen=True)
class KinesisStream(Resource):
    """A Kinesis data stream."""

    shards: int = 1


@dataclass(frozen=True)
class KmsKey(Resource):
    """A symmetric KMS key, known by its alias ``alias/<full_name>`` (e.g. to encrypt secrets at rest)."""

    description: str = ""

    @property
    def alias(self) -> str:
        return f"alias/{self.full_name}"


# --- Event sources: which handler a table stream, Kinesis stream or queue feeds ----------------


@dataclass(frozen=True, kw_only=True)
class EventSourceDeclaration:
    handler: str  # dotted path of a core.aws.batch.batch_handler function
    batch_size: int = 10

    service = ""

    @property
    def is_stream(self) -> bool:
        return self.service in ("dynamodb", "kinesis")


@dataclass(frozen=True, kw_only=True)
class StreamSource(EventSourceDeclaration):
    """The DynamoDB stream of ``model``'s table (a dotted path; the model sets stream_view_type)."""

    model: str = ""
    batch_size: int = 100
    starting_position: str = "TRIM_HORIZON"

    service = "dynamodb"


@dataclass(frozen=True, kw_only=True)
class KinesisSource(EventSourceDeclaration):
    """A Kinesis stream the app declares in ``aws_resources``."""

    stream: str = ""
    batch_size: int = 100
    starting_position: str = "TRIM_HORIZON"

    service = "kinesis"


@dataclass(frozen=True, kw_only=True)
class QueueSource(EventSourceDeclaration):
    """An SQS queue the app declares in ``aws_resources`` (its own DLQ catches poison messages)."""

    queue: str = ""

    service = "sqs"
