"""The import rule (docs/architecture.md): an app imports core, accounts (the user model every app's rows
belong to, and the caller of a request) and itself, never another app; config and core name no app. Anything one app offers another goes through core's contract (the
registry: account hooks, ``text_sender``)."""

from __future__ import annotations

import ast
from pathlib import Path

from core.contract.registry import product_apps

ROOT = Path(__file__).resolve().parents[2]


def _imported_packages(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str):
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


SHARED = {"core", "accounts"}


def test_no_app_imports_another_app():
    apps = {config.name for config in product_apps()} - SHARED
    crossings = sorted(
        f"{path.relative_to(ROOT)} imports {other}"
        for app in apps
        for path in _modules(app)
        for other in _imported_packages(path) & (apps - {app})
    )
    assert not crossings, crossings


def test_config_and_core_import_no_app():
    apps = {config.name for config in product_apps()} - {"core"}
    crossings = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for package in ("config", "core")
        for path in _modules(package)
        for name in _imported_packages(path) & apps
    )
    assert not crossings, crossings
