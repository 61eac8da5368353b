"""The project's commands, for any OS with Python 3.11+ and nothing else (no make, no shell, no Docker).

    python tasks.py run [--port 8000]        # the whole product on http://127.0.0.1:8000
    python tasks.py test [--workers N] [pytest arguments...]
    python tasks.py lint | format | lock | clean | setup
    python tasks.py package [--stage dev]    # build/dev.zip for Lambda, from any OS
    python tasks.py undeploy [--stage dev] | bench [--stage dev] [--runs 15] | runtime-check

On Windows use ``py tasks.py ...`` (or ``python``); the Makefile's targets are one-line aliases of these
and pass their variables through the environment, which is read here too: PORT, TEST_WORKERS,
PYTEST_ARGS, STAGE, LAMBDA_PYTHON, BENCH_RUNS. Every command first creates ``.venv`` (``.venv/bin`` or
``.venv\\Scripts``) and installs the pinned locks when they are newer than the last install.

Standard library only, on purpose: a runner such as nox or invoke would itself have to be installed
before the first command, and nox builds its own virtualenvs per session where this project wants
one ``.venv`` that editors and ``manage.py`` share.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"
LOCK_OPTIONS = ["--quiet", "--strip-extras", "--no-emit-index-url", "--no-emit-find-links"]
# Never reach a zip built offline: the package must not depend on who built it.
AWS_CREDENTIALS = ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


def _runtime():
    """core/deploy/runtime.py, loaded by path: standard library only, so any Python can run it."""
    spec = importlib.util.spec_from_file_location("_runtime", ROOT / "core" / "deploy" / "runtime.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runtime = _runtime()


class TaskError(Exception):
    """A one-line reason to stop (printed as ``error: ...``, exit 1)."""


def _env(name: str, default: str) -> str:
    """A Makefile-style variable from the environment (make exports empty ones: treated as unset)."""
    return os.environ.get(name) or default


def _call(argv: list[str | Path], *, env: dict[str, str] | None = None) -> int:
    """Run a command in the project folder and return its exit code. Ctrl-C reaches the child too
    (the terminal signals its whole process group; Windows' console every process attached to it):
    this process waits for the child to finish its own shutdown instead of leaving it behind."""
    child = subprocess.Popen([str(part) for part in argv], cwd=ROOT, env=env)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue


def _check(argv: list[str | Path], *, env: dict[str, str] | None = None) -> None:
    code = _call(argv, env=env)
    if code != 0:
        raise SystemExit(code)


def _stale(stamp: Path, *sources: Path) -> bool:
    """True when ``stamp`` is missing or older than one of ``sources`` (make's rule)."""
    if not stamp.exists():
        return True
    return any(source.stat().st_mtime > stamp.stat().st_mtime for source in sources)


def _make_venv(venv: Path, python: str | Path, lock: Path) -> None:
    """Create ``venv`` with ``python`` if it has no interpreter, then install ``lock`` into it."""
    if not runtime.venv_python(venv).exists():
        _check([python, "-m", "venv", venv])
    interpreter = runtime.venv_python(venv)
    _check([interpreter, "-m", "pip", "install", "--quiet", "--upgrade", "pip>=24"])
    _check([interpreter, "-m", "pip", "install", "--quiet", "-r", lock])
    (venv / ".installed").touch()


def setup() -> Path:
    """The project's virtualenv with both locks installed (again only when a lock changed)."""
    if sys.version_info < (3, 11):  # noqa: UP036 (any python may run this file; .venv needs 3.11)
        raise TaskError(f"Python 3.11+ is needed; this is {sys.version.split()[0]} ({sys.executable}).")
    if _stale(STAMP, ROOT / "requirements.txt", ROOT / "requirements-dev.txt"):
        _make_venv(VENV, sys.executable, ROOT / "requirements-dev.txt")
    return runtime.venv_python(VENV)


def run(args: argparse.Namespace) -> int:
    python = setup()
    _check([python, "manage.py", "migrate", "--noinput"])
    return _call([python, "manage.py", "devserver", "--demo", f"127.0.0.1:{args.port}"])


def test(args: argparse.Namespace, pytest_args: list[str]) -> int:
    python = setup()
    extra = shlex.split(_env("PYTEST_ARGS", ""))
    return _call([python, "-m", "pytest", "-n", args.workers, "--dist", "loadgroup", *extra, *pytest_args])


def lint(_args: argparse.Namespace) -> int:
    python = setup()
    for argv in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        code = _call([python, "-m", *argv])
        if code != 0:
            return code
    return 0


def format_(_args: argparse.Namespace) -> int:
    python = setup()
    _check([python, "-m", "ruff", "format", "."])
    return _call([python, "-m", "ruff", "check", "--fix", "."])


def lock(_args: argparse.Namespace) -> int:
    """Re-pin the locks after editing requirements.in or requirements-dev.in."""
    python = setup()
    for name in ("requirements", "requirements-dev"):
        _check([python, "-m", "piptools", "compile", *LOCK_OPTIONS, f"{name}.in", "-o", f"{name}.txt"])
    return 0


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def clean(_args: argparse.Namespace) -> int:
    for name in (".venv", "staticfiles", "build", "dist", ".pytest_cache", ".ruff_cache"):
        _remove(ROOT / name)
    _remove(runtime.out_of_tree_dir())
    return 0


def _lambda_python() -> str:
    """The runtime's interpreter (LAMBDA_PYTHON, else found on this machine), checked."""
    try:
        python = _env("LAMBDA_PYTHON", "") or runtime.runtime_python()
        runtime.check(python)
    except runtime.RuntimeMismatch as exc:
        raise TaskError(str(exc)) from None
    return python


def runtime_check(_args: argparse.Namespace) -> int:
    """The runtime's interpreter is here; a package virtualenv built by another one is removed."""
    _lambda_python()
    venv = runtime.package_venv()
    python = runtime.venv_python(venv)
    if python.exists():
        try:
            runtime.check(str(python))
        except runtime.RuntimeMismatch:
            print(f"package: removing {venv}, built by another interpreter")
            shutil.rmtree(venv)
    return 0


def _package_venv(lambda_python: str) -> Path:
    """A virtualenv of the runtime's interpreter holding only the runtime lock (outside the project
    folder: core/deploy/runtime.py says why), from which Zappa runs; nothing of the dev lock."""
    venv = runtime.package_venv()
    if _stale(venv / ".installed", ROOT / "requirements.txt"):
        _make_venv(venv, lambda_python, ROOT / "requirements.txt")
    return venv


def _lambda_site(package_python: Path) -> Path:
    """The zip's dependencies: the runtime lock's wheels for the function's architecture
    (zappa_settings.json), whatever this machine is (binary wheels only: nothing compiled here), in a
    virtualenv-shaped folder Zappa copies from."""
    site = runtime.lambda_site()
    if _stale(site / ".installed", ROOT / "requirements.txt"):
        _remove(site)
        target = runtime.venv_site_packages(site)
        _check(
            [package_python, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target]
            + [*runtime.pip_platform_args(), "-r", ROOT / "requirements.txt"]
        )
        (site / ".installed").touch()
    return site


def package(args: argparse.Namespace) -> int:
    """build/<stage>.zip, offline (no AWS credentials), built by the runtime's interpreter."""
    runtime_check(args)
    venv = _package_venv(_lambda_python())
    python = runtime.venv_python(venv)
    site = _lambda_site(python)
    zip_path = ROOT / "build" / f"{args.stage}.zip"
    _remove(ROOT / "staticfiles")
    _remove(zip_path)
    zip_path.parent.mkdir(exist_ok=True)
    settings = {"DJANGO_SETTINGS_MODULE": "config.settings", "STAGE": args.stage}
    static_env = {
        **os.environ,
        **settings,
        "DEBUG": "false",
        "SECRET_KEY": "collectstatic-only",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    _check([python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env=static_env)
    zappa_env = {k: v for k, v in os.environ.items() if k not in (*AWS_CREDENTIALS, "AWS_ENDPOINT_URL")}
    bin_dir = runtime.venv_bin(venv)
    zappa_env.update(settings)
    zappa_env.update(VIRTUAL_ENV=str(site), PATH=f"{bin_dir}{os.pathsep}{zappa_env.get('PATH', '')}")
    zappa = shutil.which("zappa", path=str(bin_dir))
    if zappa is None:
        raise TaskError(f"zappa is not installed in {venv}: remove that folder and package again.")
    if _call([zappa, "package", args.stage, "-o", zip_path], env=zappa_env) != 0:
        return 1
    # The stage's CloudFormation template beside the zip (docs/deploy.md), from the same registry.
    template = ROOT / "build" / f"{args.stage}.template.json"
    return _call([python, "manage.py", "cfn_template", "--stage", args.stage, "-o", template], env=static_env)


def undeploy(args: argparse.Namespace) -> int:
    """Remove a deployed stage and everything created beside it (AWS credentials of the account)."""
    python = setup()
    return _call([python, "manage.py", "undeploy", "--stage", args.stage, "--yes"])


def bench(args: argparse.Namespace) -> int:
    """The zip-size and cold-start benchmarks of build/<stage>.zip (built first when missing)."""
    python = setup()
    lambda_python = _lambda_python()
    bench_venv = runtime.out_of_tree_dir() / "bench-venv"
    if _stale(bench_venv / ".installed", ROOT / "bench" / "requirements-bench.txt"):
        if not runtime.venv_python(bench_venv).exists():
            _check([lambda_python, "-m", "venv", bench_venv])
        requirements = ROOT / "bench" / "requirements-bench.txt"
        _check([runtime.venv_python(bench_venv), "-m", "pip", "install", "--quiet", "-r", requirements])
        (bench_venv / ".installed").touch()
    zip_path = ROOT / "build" / f"{args.stage}.zip"
    if not zip_path.exists() and package(args) != 0:
        return 1
    _check([python, "bench/zip_size.py", zip_path])
    return _call(  # cold start (SQLite, PostgreSQL), warm, SnapStart: bench/bench_all.py
        [python, "bench/bench_all.py", "--zip", zip_path, "--runs", args.runs, "--bench-venv", bench_venv]
    )


def _default_workers() -> str:
    """One worker more than the machine has cores: a fifth of the suite's time is waiting (browsers,
    subprocesses, the recovery gate's restart), which the extra worker fills (bench/README.md)."""
    return str((os.cpu_count() or 1) + 1)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tasks.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, allow_abbrev=False)

    command("setup", "create .venv and install the locks (every command does it when needed)")
    command("run", "the whole product (SQLite, embedded AWS, sandboxes, event runner)").add_argument(
        "--port", default=_env("PORT", "8000"), help="HTTP port (default: $PORT or 8000)"
    )
    command("test", "the test suite; other arguments go to pytest").add_argument(
        "--workers",
        default=_env("TEST_WORKERS", _default_workers()),
        help="pytest-xdist workers (default: $TEST_WORKERS or one more than the cores; 0: one process)",
    )
    command("lint", "ruff and mypy")
    command("format", "ruff format and ruff check --fix")
    command("lock", "re-pin requirements.txt and requirements-dev.txt from the .in files")
    command("clean", "remove .venv, build output and this checkout's out-of-tree build folder")
    command("runtime-check", "the Lambda runtime's interpreter is installed")
    stage = argparse.ArgumentParser(add_help=False)
    stage.add_argument("--stage", default=_env("STAGE", "dev"), help="default: $STAGE or dev")
    commands.add_parser("package", parents=[stage], allow_abbrev=False, help="build/<stage>.zip for Lambda")
    commands.add_parser("undeploy", parents=[stage], allow_abbrev=False, help="remove a deployed stage")
    commands.add_parser(
        "bench", parents=[stage], allow_abbrev=False, help="zip size, cold start, warm, SnapStart"
    ).add_argument(
        "--runs", default=_env("BENCH_RUNS", "15"), help="cold starts measured (default: $BENCH_RUNS or 15)"
    )
    return parser


COMMANDS = {
    "setup": lambda _args: 0 if setup() else 1,
    "run": run,
    "lint": lint,
    "format": format_,
    "lock": lock,
    "clean": clean,
    "runtime-check": runtime_check,
    "package": package,
    "undeploy": undeploy,
    "bench": bench,
}


def main(argv: list[str]) -> int:
    args, rest = _parser().parse_known_args(argv)
    try:
        if args.command == "test":
            return test(args, rest)
        if rest:
            raise TaskError(f"{args.command}: unknown arguments {' '.join(rest)}")
        return COMMANDS[args.command](args)
    except TaskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
