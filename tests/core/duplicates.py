"""Duplicate-delivery cases of the schedules core runs (zappa_settings.json ``base.events``)."""

from tests.duplicates import DuplicateCase


def scheduled(command: str, args: list[str]):
    """What EventBridge delivers for a schedule (the entry point adds the rule from the settings)."""
    return lambda world: {"kwargs": {"command": command, "args": args}}


DUPLICATES = {
    # `check --deploy` only reads the settings: twice is the same as once, and it changes nothing.
    "daily-check": DuplicateCase(
        event=scheduled("check", ["--deploy", "--database", "default"]),
        effects=lambda world: None,
        changes=False,
    ),
}
