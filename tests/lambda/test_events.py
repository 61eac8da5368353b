import json
import logging
from pathlib import Path

import pytest

from config.events import ScheduledCommandError, run_command

EVENTS = Path(__file__).parent / "events"


def scheduled(command, args):
    event = json.loads((EVENTS / "eventbridge-scheduled.json").read_text())
    event.update(
        {
            "detail-type": "Scheduled Event",
            "resources": [
                "arn:aws:events:us-east-1:123456789012:rule/serverless-django-dev-daily-check-config.events.run_command"
            ],
            "kwargs": {"command": command, "args": args},
        }
    )
    return event


def test_it_runs_the_command_named_in_kwargs_and_logs_its_summary(caplog):
    caplog.set_level(logging.INFO, logger="config.events")

    result = run_command(scheduled("check", ["--fail-level", "ERROR"]), None)

    assert result["command"] == "check"
    assert "System check identified" in result["summary"]
    messages = [r.getMessage() for r in caplog.records]
    assert any("started" in m and "check --fail-level ERROR" in m for m in messages)
    assert any("finished" in m and "System check identified" in m for m in messages)


def test_it_raises_when_the_command_fails_so_lambda_marks_the_invocation_failed(caplog):
    with pytest.raises(ScheduledCommandError, match="no_such_command"):
        run_command(scheduled("no_such_command", []), None)
    assert any("failed" in r.getMessage() for r in caplog.records)


def test_it_refuses_an_event_without_a_command():
    with pytest.raises(ScheduledCommandError, match="names no command"):
        run_command({"kwargs": {}}, None)
