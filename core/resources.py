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
class Queue:
    """An SQS queue with its dead-letter queue (``<name>-dlq``).

    ``dead_letter=False`` declares a queue that is itself a dead end, such as the on-failure
    queue of a stream (``<table>-dlq``), which needs no queue of its own behind it.
    """

    name: str
    visibility_timeout: int = 60
    max_receive_count: int = 3
    dead_letter: bool = True

    @property
    def full_name(self) -> str:
        return f"{settings.AWS_RESOURCE_PREFIX}{self.name}"

    @property
    def dlq_name(self) -> str:
        return f"{self.full_name}-dlq"


@dataclass(frozen=True)
class Topic:
    name: str

    @property
    def full_name(self) -> str:
        return f"{settings.AWS_RESOURCE_PREFIX}{self.name}"


@dataclass(frozen=True)
class KinesisStream:
    name: str
    shards: int = 1

    @property
    def full_name(self) -> str:
        return f"{settings.AWS_RESOURCE_PREFIX}{self.name}"


def declared_resources() -> list[Queue | Topic | KinesisStream]:
    """Every queue, topic and Kinesis stream declared by an installed app."""
    found: list[Queue | Topic | KinesisStream] = []
    for config in apps.get_app_configs():
        found.extend(getattr(config, "aws_resources", ()))
    return found
