"""Hooks run after a Lambda SnapStart restore (config.snapstart): a module that caches something a
restored copy must not share with its siblings (clients holding credentials or sockets, pooled
sessions) registers how to drop it. Standard library only; registering costs nothing elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_hooks: list[Callable[[], Any]] = []


def on_restore(hook: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``hook`` after every restore from a snapshot; returns it (usable as a decorator)."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def run_restore_hooks() -> None:
    for hook in list(_hooks):
        hook()
