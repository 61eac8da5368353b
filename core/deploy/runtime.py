"""The Lambda runtime's interpreter, and where this checkout builds its package, out of Zappa's sight.

A zip must be built by the interpreter of the function's ``runtime`` (zappa_settings.json): bytecode
of another minor version fails at the first import on Lambda ("bad magic number"), and compiled
wheels are tagged per version. :func:`runtime_python` finds that interpreter on this machine (the
``python3.13`` on PATH when it really is 3.13, else pyenv's ``versions/3.13*/bin/python3.13``;
pyenv's shim fails unless that version is selected), and :func:`check` refuses any other with one
line.

The package virtualenv lives outside the project folder: ``zappa package/deploy`` walks the whole
project folder for ``zappa.websocket`` imports (skipping only ``.venv``, ``venv``, ``env`` and
hidden folders) and finds Zappa's own handler in a virtualenv under ``build/``, which turns on a
public WebSocket API. :func:`out_of_tree_dir` is derived from the checkout's path, so every
worktree (and a CI clone) has its own; the package virtualenv itself depends only on the runtime lock
and the interpreter, so :func:`package_venv` is named by those and shared by every checkout that has
them (a fresh clone does not spend minutes installing the same wheels again).

Standard library only: tasks.py, the tests and the benchmarks run it with any Python, on any OS
(the zip is built for Lambda's platform wherever this runs: :func:`pip_platform_args`).

    python core/deploy/runtime.py runtime            # python3.13
    python core/deploy/runtime.py interpreter        # /root/.pyenv/versions/3.13.0/bin/python3.13
    python core/deploy/runtime.py check PYTHON       # exit 1 with one line unless PYTHON is the runtime's
    python core/deploy/runtime.py package-venv       # ~/.cache/serverless-django/package-venv-<lock+runtime hash>
    python core/deploy/runtime.py architecture       # x86_64 (zappa_settings.json's, or Lambda's default)
    python core/deploy/runtime.py pip-platform       # pip options for the runtime's wheels of that architecture
    python core/deploy/runtime.py lambda-site        # .../lambda-site-x86_64-<hash> (the zip's site-packages, as a venv)
    python core/deploy/runtime.py lambda-site-packages  # .../lambda-site-x86_64/lib/python3.13/site-packages
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "zappa_settings.json"


class RuntimeMismatch(RuntimeError):
    """The interpreter is not the Lambda runtime's."""


def runtime(*, settings_file: Path = SETTINGS_FILE, stage: str = "base") -> str:
    """The stage's ``runtime`` (``python3.13``), ``extends`` followed."""
    settings = json.loads(Path(settings_file).read_text())
    seen = set()
    while stage and stage not in seen:
        seen.add(stage)
        config = settings.get(stage, {})
        if config.get("runtime"):
            return config["runtime"]
        stage = config.get("extends", "")
    raise RuntimeMismatch(f"No runtime in {settings_file}: set base.runtime, e.g. python3.13.")


ARCHITECTURES = {"x86_64": "x86_64", "arm64": "aarch64"}  # Lambda's name -> the wheels' machine name
# Lambda's python3.13 runs on Amazon Linux 2023 (glibc 2.34): these manylinux tags load there.
MANYLINUX = ("manylinux2014", "manylinux_2_28", "manylinux_2_34")
# Locked packages published as a source archive only, all pure Python (a Zappa dependency): built
# into a py3-none-any wheel here; the zip guard (core.deploy.guards) would refuse any native code.
PURE_PYTHON_SOURCE_ONLY = ("placebo",)


def architecture(*, settings_file: Path = SETTINGS_FILE, stage: str = "base") -> str:
    """The stage's ``architecture`` (``x86_64`` when none is declared, as Zappa and Lambda default)."""
    settings = json.loads(Path(settings_file).read_text())
    seen = set()
    while stage and stage not in seen:
        seen.add(stage)
        config = settings.get(stage, {})
        if config.get("architecture"):
            name = config["architecture"]
            if name not in ARCHITECTURES:
                raise RuntimeMismatch(
                    f"architecture {name!r} in {settings_file}: Lambda runs {sorted(ARCHITECTURES)}."
                )
            return name
        stage = config.get("extends", "")
    return "x86_64"


def pip_platform_args(name: str | None = None, arch: str | None = None) -> list[str]:
    """pip options installing the wheels of the Lambda runtime and architecture, whatever this machine
    is (binary wheels only: nothing is compiled for the builder's platform)."""
    major, minor = version_of(name or runtime())
    machine = ARCHITECTURES[arch or architecture()]
    args = [f"--platform={tag}_{machine}" for tag in MANYLINUX]
    args += ["--only-binary=:all:", *(f"--no-binary={name}" for name in PURE_PYTHON_SOURCE_ONLY)]
    return [*args, f"--python-version={major}.{minor}", "--implementation=cp"]


def lambda_site(root: Path = ROOT) -> Path:
    """A virtualenv-shaped folder whose site-packages hold the zip's dependencies for the declared
    architecture (``zappa package`` copies the site-packages of VIRTUAL_ENV)."""
    # Like the package virtualenv, named by what it holds and shared by the checkouts that have it.
    venv = package_venv(root)
    return venv.with_name(venv.name.replace("package-venv-", f"lambda-site-{architecture()}-"))


def version_of(name: str) -> tuple[int, int]:
    match = re.fullmatch(r"python(\d)\.(\d+)", name)
    if not match:
        raise RuntimeMismatch(f"{name!r} is not a Python Lambda runtime (pythonX.Y).")
    return int(match[1]), int(match[2])


def interpreter_version(python: str) -> tuple[int, int] | None:
    """(major, minor) of the interpreter ``python`` (a path or a name on PATH); None if it does not run."""
    try:
        completed = subprocess.run(
            [python, "-I", "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    major, minor = completed.stdout.split()
    return int(major), int(minor)


def _candidates(name: str) -> list[str]:
    found = []
    on_path = shutil.which(name)
    if on_path:
        found.append(on_path)
    major, minor = version_of(name)
    if os.name == "nt":  # Windows: python.org's installer puts the `py` launcher on PATH, not python3.13
        launcher = shutil.which("py")
        if launcher:
            found += _launched(launcher, f"-{major}.{minor}")
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    versions = sorted(Path(pyenv_root).glob(f"versions/{major}.{minor}.*/bin/{name}"), reverse=True)
    found += [str(path) for path in versions]
    return found


def _launched(launcher: str, selector: str) -> list[str]:
    """The interpreter Windows' ``py -3.13`` launcher starts, or nothing."""
    try:
        completed = subprocess.run(
            [launcher, selector, "-I", "-c", "import sys; print(sys.executable)"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [completed.stdout.strip()] if completed.returncode == 0 and completed.stdout.strip() else []


def runtime_python(name: str | None = None) -> str:
    """The real path of an interpreter of the runtime ``name`` (default: the settings' runtime)."""
    name = name or runtime()
    wanted = version_of(name)
    for candidate in _candidates(name):
        if interpreter_version(candidate) == wanted:
            # The real binary, not a pyenv shim (~25 ms per start, and it fails when not selected).
            completed = subprocess.run(
                [candidate, "-I", "-c", "import sys; print(sys.executable)"], capture_output=True, text=True
            )
            return os.path.realpath(completed.stdout.strip() or candidate)
    raise RuntimeMismatch(
        f"No {name} interpreter found (PATH, pyenv versions): install Python {wanted[0]}.{wanted[1]} "
        f"or pass LAMBDA_PYTHON=/path/to/{name}."
    )


def check(python: str, name: str | None = None) -> None:
    """Raise RuntimeMismatch (one line) unless ``python`` is an interpreter of the runtime."""
    name = name or runtime()
    wanted = version_of(name)
    have = interpreter_version(python)
    if have != wanted:
        what = "does not run" if have is None else f"is Python {have[0]}.{have[1]}"
        raise RuntimeMismatch(
            f"{python} {what}, but the Lambda runtime is {name}: a package built with it fails on Lambda "
            f"(bad magic number); use LAMBDA_PYTHON=<a {name}> or leave it unset."
        )


def check_running_interpreter(name: str) -> None:
    """The same check for the interpreter running this code (Zappa's own process)."""
    wanted = version_of(name)
    if tuple(sys.version_info[:2]) != wanted:
        raise RuntimeMismatch(
            f"This zip is being built by Python {sys.version_info[0]}.{sys.version_info[1]} "
            f"({sys.executable}), but the Lambda runtime is {name}: build it with `make package`."
        )


def out_of_tree_dir(root: Path = ROOT) -> Path:
    """This checkout's build folder outside the project folder (per checkout: derived from its path)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    digest = hashlib.sha1(str(Path(root).resolve()).encode()).hexdigest()[:10]
    return Path(base) / "serverless-django" / f"{Path(root).resolve().name}-{digest}"


def package_venv(root: Path = ROOT) -> Path:
    """The virtualenv holding only the runtime lock, from which ``zappa package`` builds the zip.

    Outside every checkout, named by what it holds: the runtime lock (requirements.txt) and the
    runtime's interpreter version. Checkouts with the same lock share it; a new lock gets a new one.
    """
    lock = (Path(root) / "requirements.txt").read_bytes()
    name = runtime(settings_file=Path(root) / "zappa_settings.json")
    digest = hashlib.sha256(lock + f"\0{name}".encode()).hexdigest()[:12]
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "serverless-django" / f"package-venv-{digest}"


def venv_site_packages(venv: Path) -> Path:
    """A virtualenv's site-packages as venv lays it out, and as ``zappa package`` looks for it in
    VIRTUAL_ENV: ``Lib\\site-packages`` on Windows, ``lib/pythonX.Y/site-packages`` elsewhere."""
    if os.name == "nt":
        return venv / "Lib" / "site-packages"
    major, minor = version_of(runtime())
    return venv / "lib" / f"python{major}.{minor}" / "site-packages"


def venv_bin(venv: Path) -> Path:
    """A virtualenv's folder of programs: ``Scripts`` on Windows, ``bin`` elsewhere."""
    return venv / ("Scripts" if os.name == "nt" else "bin")


def venv_python(venv: Path) -> Path:
    """A virtualenv's interpreter: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    return venv_bin(venv) / ("python.exe" if os.name == "nt" else "python")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    try:
        if command == "runtime":
            print(runtime())
        elif command == "interpreter":
            print(runtime_python())
        elif command == "check" and len(argv) == 2:
            check(argv[1])
        elif command == "package-venv":
            print(package_venv())
        elif command == "out-of-tree":
            print(out_of_tree_dir())
        elif command == "architecture":
            print(architecture())
        elif command == "pip-platform":
            print(" ".join(pip_platform_args()))
        elif command == "lambda-site":
            print(lambda_site())
        elif command == "lambda-site-packages":
            print(venv_site_packages(lambda_site()))
        else:
            print(__doc__.split("\n\n")[-1].rstrip(), file=sys.stderr)
            return 2
    except RuntimeMismatch as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
