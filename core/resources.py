"""What an app declares besides its tables: SQS queues, SNS topics and Kinesis streams.

An app lists them in ``aws_resources`` on its AppConfig. This module imports nothing heavy
(AppConfigs load on every Lambda cold start); ``core.provisioning`` creates them and
``core.iam`` grants access to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings


@dataclass(frozen=True)
class _Resource:
    """A named resource of this stage: its AWS name carries the stage's prefix."""

    name: str

    @property
    def full_name(self) -> str:
        return f"{settings.AWS_RESOURCE_PREFIX}{self.name}"


@dataclass(frozen=True)
class Queue(_Resource):
    """An SQS queue with its dead-letter queue (``<name>-dlq``).

    ``dead_letter=False`` declares a queue that is itself a dead end, such as the on-failure
    queue of a stream (``<table>-dlq``), which needs no queue of its own behind it.
    """

    visibility_timeout: int = 60
    max_receive_count: int = 3
    dead_letter: bool = True

    @property
    def dlq_name(self) -> str:
        return f"{self.full_name}-dlq"


@dataclass(frozen=True)
class Topic(_Resource):
    """An SNS topic."""


@dataclass(frozen=True)
class KinesisStream(_Resource):
    """A Kinesis data stream."""

    shards: int = 1


def declared_resources() -> list[Queue | Topic | KinesisStream]:
    """Every queue, topic and Kinesis stream declared by an installed app."""
    found: list[Queue | Topic | KinesisStream] = []
    for config in apps.get_app_configs():
        found.extend(getattr(config, "aws_resources", ()))
    return found
