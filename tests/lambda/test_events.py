import json
import logging
from pathlib import Path

import pytest

from config.events import CommandRefused, ScheduledCommandError, run_command, run_manage

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


def test_it_runs_the_command_named_in_kwargs_and_logs_its_summary(aws, caplog):
    caplog.set_level(logging.INFO, logger="config.events")

    result = run_command(scheduled("check", ["--fail-level", "ERROR"]), None)

    assert result["command"] == "check"
    assert "System check identified" in result["summary"]
    messages = [r.getMessage() for r in caplog.records]
    assert any("started" in m and "check --fail-level ERROR" in m for m in messages)
    assert any("finished" in m and "System check identified" in m for m in messages)


def test_it_raises_when_the_command_fails_so_lambda_marks_the_invocation_failed(aws, caplog, settings):
    settings.LAMBDA_ALLOWED_COMMANDS = ["no_such_command"]
    with pytest.raises(ScheduledCommandError, match="no_such_command"):
        run_command(scheduled("no_such_command", []), None)
    assert any("failed" in r.getMessage() for r in caplog.records)


def test_it_refuses_an_event_without_a_command():
    with pytest.raises(ScheduledCommandError, match="names no command"):
        run_command({"kwargs": {}}, None)


def test_it_refuses_a_command_outside_the_allow_list_and_runs_nothing(aws, alice):
    from accounts.models import User

    with pytest.raises(CommandRefused, match="'flush'"):
        run_command(scheduled("flush", ["--noinput"]), None)

    assert User.objects.filter(pk=alice.pk).exists()


def test_the_settings_allow_list_adds_commands_and_the_schedules_commands_stay_allowed(aws, settings):
    settings.LAMBDA_ALLOWED_COMMANDS = ["diffsettings"]
    diffsettings, check, migrate = (
        scheduled(*call) for call in [("diffsettings", ["--all"]), ("check", []), ("migrate", [])]
    )
    for number, event in enumerate((diffsettings, check, migrate)):
        event["id"] = f"firing-{number}"

    assert run_command(diffsettings, None)["summary"] != "skipped: a duplicate delivery"
    assert "System check identified" in run_command(check, None)["summary"]  # a schedule's command
    with pytest.raises(CommandRefused):
        run_command(migrate, None)


@pytest.mark.parametrize("line", ["", "   ", "flush --noinput", "shell -c 'print(1)'", "check 'unclosed"])
def test_a_manage_event_outside_the_allow_list_is_refused(line):
    with pytest.raises(CommandRefused):
        run_manage({"manage": line}, None)


def test_a_manage_event_that_is_not_a_command_line_is_refused():
    with pytest.raises(CommandRefused, match="must be a command line"):
        run_manage({"manage": ["flush"]}, None)


def test_a_scheduled_firing_delivered_twice_runs_its_command_once(aws, caplog):
    caplog.set_level(logging.INFO, logger="config.events")
    event = scheduled("check", ["--fail-level", "ERROR"])

    first = run_command(event, None)
    second = run_command(event, None)

    assert "System check identified" in first["summary"]
    assert second["summary"] == "skipped: a duplicate delivery"
    assert [r for r in caplog.records if "was delivered before" in r.getMessage()]
    # Another firing of the same rule (a new event id) runs again.
    assert "System check identified" in run_command({**event, "id": "another-firing"}, None)["summary"]


def test_a_failed_firing_gives_its_claim_back_so_lambdas_retry_runs_it(aws):
    event = scheduled("check", ["--database", "no-such-alias"])

    for _ in range(2):  # the retry is not taken for a duplicate: it runs, and fails again
        with pytest.raises(ScheduledCommandError):
            run_command(event, None)


def test_clearsessions_is_refused_sessions_expire_by_the_tables_ttl():
    with pytest.raises(CommandRefused, match="'clearsessions'"):
        run_manage({"manage": "clearsessions"}, None)
