"""Every handler and schedule delivered twice through the Lambda entry point: no side effect happens twice.

The cases come from the apps' declarations: each handler of ``core.contract.registry.event_sources()`` (SQS,
DynamoDB stream, Kinesis) and each schedule of zappa_settings.json (``core.stages.schedules``, dev
and prod alike). A handler or schedule without a case in some ``tests/<app>/duplicates.py``
(tests/duplicates.py) fails here by name. Delivery goes through ``config.lambda_entry.handler``
as on Lambda: records are routed by their source's name, schedules through Zappa's handler.
"""

from __future__ import annotations

import pytest

from config.lambda_entry import handler
from core.contract.registry import event_sources
from core.local.runner import LocalContext
from core.stages import load_stage, schedules, worker_stage
from tests.duplicates import declarations

STAGES = ("dev", "prod")


def _deliveries() -> list[tuple[str, str]]:
    """(kind, key): every declared handler and every schedule of the deployed stages."""
    found = {("handler", source.function) for source in event_sources()}
    for stage in STAGES:
        found |= {("schedule", schedule.name) for schedule in schedules(load_stage(worker_stage(stage)))}
    return sorted(found)


def _schedule(name: str):
    config = load_stage(worker_stage("dev"))  # the worker function takes the schedules
    return config, next(s for s in schedules(config) if s.name == name)


def _deliver(kind: str, key: str, event: dict) -> object:
    if kind == "schedule":
        config, schedule = _schedule(key)
        rule = schedule.rule_name(config, worker_stage("dev"))
        event = {
            "version": "0",
            "id": "5e6b8f7a-duplicate",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": "2026-03-01T03:15:00Z",
            "region": "us-east-1",
            "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{rule}"],
            "detail": {},
            "kwargs": schedule.kwargs,
            **event,
        }
    return handler(event, LocalContext("serverless-django-dev"))


def test_the_deliveries_include_every_kind_that_exists():
    kinds = {key for kind, key in _deliveries()}
    assert {"routines.events.archive_days", "daily-check"} <= kinds


@pytest.mark.parametrize(("kind", "key"), _deliveries(), ids=lambda value: str(value))
def test_a_second_delivery_changes_nothing(
    kind, key, aws, alice, bob, zappa_settings_module, live_server, settings
):
    case = declarations().get(key)
    assert case is not None, (
        f"No duplicate-delivery case for the {kind} {key!r}: declare one in tests/<app>/duplicates.py "
        "(docs/architecture.md: How to add an app)."
    )
    zappa_settings_module()
    # live_server serves the sandbox stand-ins for schedules that call an upstream; settings changes
    # made by a case (pointing an upstream at it) are undone after the test.
    world = {"alice": alice, "bob": bob, "live_server": live_server, "settings": settings}
    event = case.event(world)
    before = case.effects(world)

    first = _deliver(kind, key, event)
    once = case.effects(world)
    second = _deliver(kind, key, event)
    twice = case.effects(world)

    if isinstance(first, dict) and "batchItemFailures" in first:
        assert first == second == {"batchItemFailures": []}
    if case.changes:
        assert once != before, f"the first delivery of {key} did nothing: the case shows no side effect"
    else:
        assert once == before
    assert twice == once, f"a second delivery of {key} repeated a side effect"
