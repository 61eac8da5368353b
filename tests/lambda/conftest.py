"""Fixtures of the Lambda tests: sample events and an installed ``zappa_settings`` module."""

import copy
import json
from pathlib import Path

import pytest

from tests.zappa_state import zappa_state_restored

EVENTS_DIR = Path(__file__).parent / "events"


@pytest.fixture
def sample_event():
    """``sample_event("sqs-batch", QUEUE-NAME="x")``: an AWS sample event with its placeholders replaced."""

    def load(name, **replacements):
        text = (EVENTS_DIR / f"{name}.json").read_text()
        for placeholder, value in replacements.items():
            text = text.replace(placeholder.replace("_", "-"), value)
        return copy.deepcopy(json.loads(text))

    return load


@pytest.fixture
def zappa_settings_module():
    """Install a zappa_settings module (as the zip carries one); restore Zappa's singleton afterwards."""
    from core.local.runner import install_settings_module

    def install():
        return install_settings_module(config={"project_name": "serverless-django"})

    with zappa_state_restored():
        yield install
