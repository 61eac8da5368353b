"""What zappa_settings.json says about a stage: its settings (``extends`` applied) and its schedules.

The file keeps Zappa's own format. Each deployed stage is two functions from one zip: the web
function (``dev``: API Gateway, 29 s, no schedule) and its worker (``dev_worker``: no API, its own
timeout, memory and reserved concurrency), which receives every schedule, queue, stream and Kinesis
event. Schedules are written once, in ``base_worker``, which ``dev_worker`` and ``prod_worker``
extend, so both stages run the same events; a worker shares its stage's resources (its ``STAGE`` is
the web stage's) and only its function differs (:func:`worker_stage`, :func:`web_stage`). Queue and stream consumers are not in the
file: apps declare them on their AppConfig (``event_sources``, see core.apps), because Zappa 0.63
cannot own them (it creates stream mappings without StartingPosition, routes records by an ARN
that ends in a timestamp no settings file knows, and leaves them behind on undeploy);
core.deploy.event_sources creates, updates and removes them, and the local runner polls them.

Standard library only at import.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.contract.naming import function_name

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "zappa_settings.json"


class SettingsError(ValueError):
    """zappa_settings.json asks for something this project cannot honour."""


def load_stage(stage: str, *, path: Path | str | None = None) -> dict[str, Any]:
    """The stage's settings with ``extends`` applied the way Zappa applies them (shallow update)."""
    settings = json.loads(Path(path or SETTINGS_FILE).read_text())
    seen: list[str] = []

    def resolve(name: str) -> dict[str, Any]:
        if name in seen:
            raise SettingsError(f"Circular extends in zappa settings: {' -> '.join([*seen, name])}")
        if name not in settings:
            raise SettingsError(f"Stage {name!r} is not defined in the zappa settings.")
        seen.append(name)
        own = dict(settings[name])
        parent = own.get("extends")
        if not parent:
            return own
        merged = resolve(parent)
        merged.update(own)
        return merged

    return resolve(stage)


WORKER_SUFFIX = "_worker"


def worker_stage(stage: str, *, path: Path | str | None = None) -> str:
    """The stage whose function takes ``stage``'s schedules, queues and streams: ``<stage>_worker``
    when the settings define it, else ``stage`` itself (one function for everything)."""
    stage = web_stage(stage)
    settings = json.loads(Path(path or SETTINGS_FILE).read_text())
    worker = f"{stage}{WORKER_SUFFIX}"
    return worker if worker in settings else stage


def web_stage(stage: str) -> str:
    """The stage whose resources (and API) a stage or its worker uses: ``dev`` for ``dev_worker``."""
    return stage.removesuffix(WORKER_SUFFIX)


def stage_function_name(config: dict[str, Any], stage: str) -> str:
    return function_name(stage, project=config.get("project_name", "serverless-django"))


@dataclass(frozen=True)
class Schedule:
    """One scheduled event: ``function`` called by EventBridge on ``expression`` with ``kwargs``."""

    name: str
    function: str
    expression: str
    kwargs: dict[str, Any] = field(default_factory=dict, compare=False)
    index: int = 0

    def rule_name(self, config: dict[str, Any], stage: str) -> str:
        """The rule name Zappa gives it (``get_scheduled_event_name``); its handler reads the
        function from the part after the last '-'."""
        name = self.name if self.name == self.function else f"{self.name}-{self.function}"
        if self.index:
            name = f"{self.index}-{name}"
        if len(name) > 63:
            raise SettingsError(f"Scheduled event name {name!r} is too long for EventBridge (63 characters).")

        def event_name(prefix: str) -> str:
            return f"{prefix:.{max(0, 63 - len(name))}}-{name}"[:64]

        prefix = stage_function_name(config, stage)
        result = event_name(prefix)
        if len(result) >= 64:
            result = event_name(hashlib.sha1(prefix.encode()).hexdigest())
        return result


def schedules(config: dict[str, Any]) -> list[Schedule]:
    """The stage's scheduled events; an ``event_source`` entry is refused (apps declare those)."""
    found = []
    for event in config.get("events", []):
        if event.get("event_source"):
            raise SettingsError(
                f"Event of {event.get('function')!r} has an event_source: declare queue and stream "
                "consumers in the app's AppConfig (event_sources), not in zappa_settings.json."
            )
        expressions = event.get("expressions") or [event.get("expression")]
        for index, expression in enumerate(expressions):
            if not expression:
                raise SettingsError(
                    f"Event {event.get('name') or event.get('function')!r} has no expression."
                )
            found.append(
                Schedule(
                    name=event.get("name", event["function"]),
                    function=event["function"],
                    expression=expression,
                    kwargs=dict(event.get("kwargs") or {}),
                    index=index,
                )
            )
    return found
