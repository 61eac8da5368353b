"""The registration contract: apps declare themselves once (core.apps); config and core name none."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import get_commands
from django.utils.module_loading import import_string

from core.apps import ProductAppConfig
from core.contract.registry import check_declarations, event_sources, product_apps
from core.stages import load_stage, schedules, worker_stage

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED_STAGES = ("dev", "prod")


def test_every_app_with_a_product_config_is_loaded_through_it():
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.apps")
        except ModuleNotFoundError:
            continue
        declared = [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, ProductAppConfig) and cls is not ProductAppConfig
        ]
        if declared:
            assert isinstance(config, tuple(declared)), f"{config.name} fell back to {type(config).__name__}"


def test_what_the_apps_declare_is_consistent():
    assert check_declarations() == []
    for config in product_apps():
        for route in config.api_routes:
            import_string(route.viewset)
        for path in config.dynamo_models:
            import_string(path)
        for path in (config.demo_loader, config.hot_item_restorer):
            if path:
                assert callable(import_string(path))


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", ["config", "core"])
def test_config_and_core_import_no_app(package):
    app_packages = {config.name for config in product_apps()} - {"core"}
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        for module in _imported_modules(path):
            top = module.split(".")[0]
            if top in app_packages or (package == "core" and top == "config"):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


# Where config must name the apps: the list of them, and Django's user model.
NAMING_SETTINGS = {"INSTALLED_APPS", "AUTH_USER_MODEL"}


def _strings_naming(path: Path, app_packages: set[str]) -> list[str]:
    """The string constants of ``path`` (docstrings aside) that are an app or a dotted path in one."""
    tree = ast.parse(path.read_text())
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))  # a docstring (or a bare string): prose, not a reference
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in NAMING_SETTINGS for t in node.targets
        ):
            skipped |= {id(inner) for inner in ast.walk(node.value)}
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} names {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and node.value.split(".")[0] in app_packages
        and all(part.isidentifier() for part in node.value.split("."))
    ]


@pytest.mark.parametrize("package", ["config", "core"])
def test_config_and_core_name_no_app_in_a_string_either(package):
    app_packages = {config.name for config in product_apps()} - {"core"}

    offenders = [
        found for path in (ROOT / package).rglob("*.py") for found in _strings_naming(path, app_packages)
    ]

    assert offenders == []


def test_the_deployed_stages_run_the_same_events_on_their_worker_and_none_on_the_web_function():
    events = {stage: load_stage(worker_stage(stage)).get("events") for stage in DEPLOYED_STAGES}

    assert events["dev"] == events["prod"]
    assert events["dev"], "no scheduled event at all: the daily check is expected at least"
    assert [worker_stage(stage) for stage in DEPLOYED_STAGES] == ["dev_worker", "prod_worker"]
    assert not [stage for stage in DEPLOYED_STAGES if load_stage(stage).get("events")]


@pytest.mark.parametrize("stage", [*DEPLOYED_STAGES, "dev_worker", "prod_worker"])
def test_every_function_and_command_the_settings_name_exists(stage):
    config = load_stage(stage)
    import_string(config["lambda_handler"])
    commands = get_commands()
    for schedule in schedules(config):  # refuses any event_source entry (apps declare those)
        assert callable(import_string(schedule.function)), schedule
        if schedule.function == "config.events.run_command":
            assert schedule.kwargs["command"] in commands, schedule
    for position, callback in config["callbacks"].items():
        module, _, name = callback.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name)), position


def test_every_command_lambda_may_run_is_an_installed_command(settings):
    from config.events import allowed_commands

    missing = sorted(set(allowed_commands()) - set(get_commands()))

    assert not missing, f"allow-listed on Lambda but not installed: {missing}"


def test_every_declared_source_feeds_a_handler_that_exists():
    sources = event_sources()

    assert ("dynamodb", "routine-days") in {(s.service, s.suffix) for s in sources}
    for source in sources:
        assert callable(import_string(source.function))
