"""What a zip or a Zappa command must never do here, checked before anything reaches AWS.

* No WebSocket API: Zappa turns one on (public ``$connect``/``$default``/``$disconnect`` routes to
  the function) whenever its walk of the project folder finds a ``zappa.websocket`` import, e.g.
  its own handler in a virtualenv under the project folder; the zip then carries
  ``WEBSOCKET_HANDLER_MODULE``. This product has no WebSocket code, so either sign is refused.
* The zip's bytecode must be the runtime's: a zip built by another interpreter fails on Lambda at
  the first import ("bad magic number").
* The zip's native code must be for the function's ``architecture`` (zappa_settings.json, x86_64
  by default) on Linux: every ``.so`` an ELF shared object of that machine (a macOS Mach-O or an
  aarch64 ``.so`` built on Apple Silicon or arm64 CI fails at the first import on an x86_64
  function: psycopg at the first query), its file name's platform tag (``cpython-313-x86_64-linux-gnu``)
  that machine's, and every wheel's ``WHEEL`` platform tag ``any`` or a manylinux tag of it.
* ``base`` is the template dev and prod extend, not a stage: ``zappa ... --all`` must not deploy,
  update or undeploy it.

Standard library only (Zappa's process loads core/deploy/zappa_callbacks.py by path).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

TEMPLATE_STAGES = ("base", "base_worker")  # templates the stages extend, never deployed
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


# Lambda's architecture name -> (ELF e_machine, the machine's name in platform tags).
MACHINES = {"x86_64": (0x3E, "x86_64"), "arm64": (0xB7, "aarch64")}
ELF_MACHINE_NAMES = {0x03: "i386", 0x28: "arm", 0x3E: "x86_64", 0xB7: "aarch64"}
_SO_TAG = re.compile(r"\.cpython-\d+-(?P<platform>[^./]+)\.so$")


def _elf_machine(header: bytes) -> str:
    """What a shared object's first bytes say it is: 'x86_64', 'aarch64', 'Mach-O', ..."""
    if header[:4] == b"\x7fELF" and len(header) >= 20:
        machine = int.from_bytes(header[18:20], "little" if header[5] == 1 else "big")
        return ELF_MACHINE_NAMES.get(machine, f"ELF machine {machine:#x}")
    if header[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return "Mach-O (macOS)"
    if header[:2] == b"MZ":
        return "PE (Windows)"
    return "not a shared object"


def native_mismatches(zip_path: Path | str, *, architecture: str) -> list[str]:
    """Every native file or wheel tag of the zip that is not for Linux on ``architecture``."""
    if architecture not in MACHINES:
        return [f"architecture {architecture!r} is not one Lambda runs ({', '.join(MACHINES)})"]
    _, machine = MACHINES[architecture]
    found = []
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            name = info.filename
            if re.search(r"\.so(\.[\d.]+)?$", name) or name.endswith((".dylib", ".pyd")):
                with archive.open(info) as handle:
                    kind = _elf_machine(handle.read(20))
                if kind != machine:
                    found.append(f"{name} ({kind})")
                    continue
                tag = _SO_TAG.search(name)
                if tag and tag["platform"] != f"{machine}-linux-gnu":
                    found.append(f"{name} (tagged {tag['platform']})")
            elif name.endswith(".dist-info/WHEEL"):
                text = archive.read(info).decode("utf-8", "replace")
                for platform in re.findall(r"^Tag:\s*[^-\s]+-[^-\s]+-(\S+)", text, re.MULTILINE):
                    ok = platform == "any" or all(
                        part.startswith(("manylinux", "linux")) and part.endswith(f"_{machine}")
                        for part in platform.split(".")
                    )
                    if not ok:
                        found.append(f"{name.split('/')[0]} (wheel for {platform})")
    return found


def check_zip(zip_path: Path | str, *, runtime: str, architecture: str = "x86_64") -> None:
    """Raise PackageRefused (one sentence) unless the zip is fit for ``runtime`` and ``architecture``
    and has no WebSocket."""
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
    foreign = native_mismatches(zip_path, architecture=architecture)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise PackageRefused(
            f"{zip_path} holds native code that is not for Linux {architecture}, the function's architecture: "
            f"{shown}; it would fail at its first import on Lambda. Build it with `make package`, which "
            "installs the wheels of the declared architecture whatever the machine."
        )
