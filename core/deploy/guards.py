"""What a zip or a Zappa command must never do here, checked before anything reaches AWS.

* No WebSocket API: Zappa turns one on (public ``$connect``/``$default``/``$disconnect`` routes to
  the function) whenever its walk of the project folder finds a ``zappa.websocket`` import, e.g.
  its own handler in a virtualenv under the project folder; the zip then carries
  ``WEBSOCKET_HANDLER_MODULE``. This product has no WebSocket code, so either sign is refused.
* The zip's bytecode must be the runtime's: a zip built by another interpreter fails on Lambda at
  the first import ("bad magic number").
* ``base`` is the template dev and prod extend, not a stage: ``zappa ... --all`` must not deploy,
  update or undeploy it.

Standard library only (Zappa's process loads core/deploy/zappa_callbacks.py by path).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

TEMPLATE_STAGES = ("base",)
# ZappaCLI methods dispatch_command calls; for a template stage each becomes a no-op.
COMMAND_METHODS = (
    "deploy",
    "update",
    "package",
    "template",
    "rollback",
    "invoke",
    "tail",
    "undeploy",
    "schedule",
    "unschedule",
    "status",
    "certify",
    "shell",
    "save_python_settings_file",
)


class PackageRefused(RuntimeError):
    """The zip or the command would deploy something this project must not deploy."""


def websocket_module(zip_path: Path | str) -> str | None:
    """The ``WEBSOCKET_HANDLER_MODULE`` Zappa wrote into the zip's settings, if any."""
    with zipfile.ZipFile(zip_path) as archive:
        try:
            settings = archive.read("zappa_settings.py").decode("utf-8", "replace")
        except KeyError:
            return None
    match = re.search(r"^WEBSOCKET_HANDLER_MODULE\s*=\s*['\"]?([^'\"\n]*)", settings, re.MULTILINE)
    return match[1] if match else None


def bytecode_tags(zip_path: Path | str) -> set[str]:
    """The interpreter tags of the zip's cached bytecode (``cpython-313``)."""
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
    return {
        match[1] for name in names if (match := re.search(r"__pycache__/[^/]+\.(cpython-\d+)\.pyc$", name))
    }


def check_zip(zip_path: Path | str, *, runtime: str) -> None:
    """Raise PackageRefused (one sentence) unless the zip is fit for ``runtime`` and has no WebSocket."""
    from core.deploy.packaging_zip import local_data

    with zipfile.ZipFile(zip_path) as archive:
        found = local_data(archive.namelist())
    if found:
        raise PackageRefused(
            f"{zip_path} holds local data ({', '.join(found[:5])}): build it with `make package`, "
            "which ships only the checkout's files."
        )
    module = websocket_module(zip_path)
    if module is not None:
        raise PackageRefused(
            f"{zip_path} turns on a public WebSocket API (WEBSOCKET_HANDLER_MODULE={module!r}): Zappa found "
            "a zappa.websocket import in the project folder (a virtualenv inside it?); build with "
            "`make package`, which keeps its virtualenv outside."
        )
    wanted = "cpython-" + runtime.removeprefix("python").replace(".", "")
    others = bytecode_tags(zip_path) - {wanted}
    if others:
        raise PackageRefused(
            f"{zip_path} holds bytecode for {', '.join(sorted(others))}, but the runtime is {runtime}: "
            "it would fail on Lambda (bad magic number); build it with `make package`."
        )
