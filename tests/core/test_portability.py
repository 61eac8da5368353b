"""The laptop code runs on Windows, macOS and Linux: no call that exists on one OS only, unguarded.

No Windows machine checks this project, so this test reads the code instead: every Python file that
runs on a desktop (tasks.py, manage.py, the product's packages run by ``manage.py devserver``, the
test suite run by ``tasks.py test``, the benchmarks) is parsed, and a use of a name that exists on
POSIX only (``signal.SIGKILL``, ``os.fork``, ``os.killpg``, ``import fcntl``, ``preexec_fn=``...) or
on Windows only (``signal.CTRL_BREAK_EVENT``, ``import msvcrt``, ``creationflags=``...) fails it,
unless it sits under a platform guard: an ``if``/conditional expression testing ``sys.platform``,
``os.name``, ``platform.system()`` or ``hasattr(...)``, a ``try`` that catches ImportError or
AttributeError, or a test skipped by platform (``pytest.mark.skipif(sys.platform ...)``).
``getattr(module, "NAME", default)`` is portable and allowed. The guard's direction is not checked:
a POSIX call under ``if sys.platform == "win32"`` passes here (core/local/processes.py keeps those
branches in one place).
"""

from __future__ import annotations

import ast
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

POSIX_MODULES = {"fcntl", "resource", "pwd", "grp", "termios", "tty", "pty", "posix", "syslog", "crypt"}
WINDOWS_MODULES = {"msvcrt", "winreg", "winsound", "_winapi", "nt"}
POSIX_SIGNALS = {
    "SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGPIPE", "SIGCONT",
    "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGWINCH", "SIGXCPU", "SIGXFSZ", "SIGPROF", "SIGVTALRM",
    "SIGIO", "SIGSYS", "SIGTRAP", "SIGBUS", "SIGURG", "alarm", "setitimer", "getitimer", "pause",
    "pthread_kill", "pthread_sigmask", "sigwait", "siginterrupt",
}  # fmt: skip
WINDOWS_SIGNALS = {"SIGBREAK", "CTRL_C_EVENT", "CTRL_BREAK_EVENT"}
POSIX_OS = {
    "fork", "forkpty", "killpg", "setsid", "getsid", "setpgrp", "getpgrp", "getpgid", "setpgid",
    "getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "chown", "lchown", "fchown", "mkfifo",
    "mknod", "wait3", "wait4", "WNOHANG", "nice", "sync", "uname", "getloadavg", "sysconf",
    "O_NONBLOCK", "O_SYNC", "O_DSYNC",
    # Exists on Windows, but any signal other than CTRL_C/CTRL_BREAK_EVENT is TerminateProcess there
    # (even os.kill(pid, 0)): stop children with Popen.send_signal/terminate or core.local.processes.
    "kill",
}  # fmt: skip
WINDOWS_OS = {"O_BINARY", "startfile"}
WINDOWS_SUBPROCESS = {"CREATE_NEW_PROCESS_GROUP", "CREATE_NEW_CONSOLE", "STARTUPINFO"}
POSIX_POPEN_ARGUMENTS = {"preexec_fn", "start_new_session", "pass_fds", "process_group"}
WINDOWS_POPEN_ARGUMENTS = {"creationflags", "startupinfo"}
ONE_PLATFORM_ATTRIBUTES = {
    "signal": POSIX_SIGNALS | WINDOWS_SIGNALS,
    "os": POSIX_OS | WINDOWS_OS,
    "subprocess": WINDOWS_SUBPROCESS,
}
PLATFORM_TESTS = {("sys", "platform"), ("os", "name"), ("platform", "system")}
GUARDING_ERRORS = {"ImportError", "ModuleNotFoundError", "AttributeError"}
# Every Python file a desktop runs (tracked by git); the migrations are generated, the rest is scanned.
NOT_ON_THE_DESKTOP = ("/migrations/",)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _mentions_platform(node: ast.AST) -> bool:
    for inner in ast.walk(node):
        named = isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name)
        if named and (inner.value.id, inner.attr) in PLATFORM_TESTS:
            return True
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "hasattr":
            return True
    return False


def _is_platform_skip(decorator: ast.AST) -> bool:
    """``pytest.mark.skipif(<platform test>, ...)`` (a decorator or a ``pytestmark`` value)."""
    return (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr == "skipif"
        and any(_mentions_platform(arg) for arg in decorator.args)
    )


def _guards(parent: ast.AST, child: ast.AST) -> bool:
    """Whether ``parent`` makes ``child`` (one of its direct children) platform-guarded."""
    if isinstance(parent, ast.If | ast.IfExp | ast.While) and child is not parent.test:
        return _mentions_platform(parent.test)
    if isinstance(parent, ast.Try) and child in parent.body:
        for handler in parent.handlers:
            caught = handler.type
            names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
            if any(isinstance(name, ast.Name) and name.id in GUARDING_ERRORS for name in names):
                return True
    if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return any(_is_platform_skip(decorator) for decorator in parent.decorator_list)
    return False


def _one_platform_uses(node: ast.AST) -> list[str]:
    """What in ``node`` itself (not its children) exists on one platform only."""
    found = []
    if isinstance(node, ast.Import):
        found += [
            f"import {alias.name}"
            for alias in node.names
            if alias.name.split(".")[0] in POSIX_MODULES | WINDOWS_MODULES
        ]
    elif isinstance(node, ast.ImportFrom) and node.module:
        if node.module.split(".")[0] in POSIX_MODULES | WINDOWS_MODULES:
            found.append(f"from {node.module} import ...")
        for alias in node.names:
            if alias.name in ONE_PLATFORM_ATTRIBUTES.get(node.module, ()):
                found.append(f"from {node.module} import {alias.name}")
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.attr in ONE_PLATFORM_ATTRIBUTES.get(node.value.id, ()):
            found.append(f"{node.value.id}.{node.attr}")
    elif isinstance(node, ast.Call):
        found += [
            f"{keyword.arg}="
            for keyword in node.keywords
            if keyword.arg in POSIX_POPEN_ARGUMENTS | WINDOWS_POPEN_ARGUMENTS
        ]
    return found


def scan(source: str, path: str = "<source>") -> list[Finding]:
    """Every use of a one-platform name in ``source`` outside a platform guard."""
    tree = ast.parse(source, filename=path)
    for statement in tree.body:  # pytestmark = pytest.mark.skipif(sys.platform ...): the whole module
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in statement.targets
        ):
            marks = statement.value.elts if isinstance(statement.value, ast.List) else [statement.value]
            if any(_is_platform_skip(mark) for mark in marks):
                return []
    findings: list[Finding] = []

    def visit(node: ast.AST) -> None:
        findings.extend(Finding(path, getattr(node, "lineno", 0), what) for what in _one_platform_uses(node))
        for child in ast.iter_child_nodes(node):
            if not _guards(node, child):
                visit(child)

    visit(tree)
    return findings


def desktop_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        ROOT / name for name in sorted(listed) if not any(part in f"/{name}" for part in NOT_ON_THE_DESKTOP)
    ]


def test_the_laptop_code_uses_no_one_platform_call_outside_a_platform_guard():
    files = desktop_files()
    findings = [
        finding
        for path in files
        for finding in scan(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]

    assert {"tasks.py", "manage.py", "core/local/management/commands/devserver.py"} <= {
        str(path.relative_to(ROOT)) for path in files
    }
    assert not findings, "one-platform calls outside a platform guard:\n" + "\n".join(map(str, findings))


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import signal\nchild.send_signal(signal.SIGKILL)\n", ["signal.SIGKILL"]),
        ("import os\nos.killpg(pid, 2)\n", ["os.killpg"]),
        ("import os\nos.fork()\n", ["os.fork"]),
        ("import os\nos.kill(pid, 0)\n", ["os.kill"]),
        ("import fcntl\n", ["import fcntl"]),
        ("from signal import SIGHUP\n", ["from signal import SIGHUP"]),
        ("import resource, pwd\n", ["import resource", "import pwd"]),
        ("Popen(args, start_new_session=True, preexec_fn=f)\n", ["start_new_session=", "preexec_fn="]),
        ("Popen(args, creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)\n", ["creationflags=", "subprocess.CREATE_NEW_PROCESS_GROUP"]),
        ("import signal\nsignal.signal(signal.SIGBREAK, h)\n", ["signal.SIGBREAK"]),
        ("def stop(child):\n    if ready:\n        child.send_signal(signal.SIGQUIT)\n", ["signal.SIGQUIT"]),
    ],
)  # fmt: skip
def test_the_scan_finds_a_one_platform_call_outside_a_guard(source, found):
    assert [finding.what for finding in scan(source)] == found


@pytest.mark.parametrize(
    "source",
    [
        "import sys, signal\nif sys.platform == 'win32':\n    s = signal.CTRL_BREAK_EVENT\nelse:\n    s = signal.SIGKILL\n",
        "import os\nif os.name == 'posix':\n    os.killpg(pid, 9)\n",
        "import platform, os\nif platform.system() != 'Windows':\n    os.setsid()\n",
        "import signal\nKILL = signal.SIGKILL if hasattr(signal, 'SIGKILL') else signal.SIGTERM\n",
        "import signal\nKILL = getattr(signal, 'SIGKILL', signal.SIGTERM)\n",
        "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None\n",
        "import sys, pytest\npytestmark = pytest.mark.skipif(sys.platform == 'win32', reason='POSIX')\nimport os\nos.fork()\n",
        "import sys, pytest, os\n@pytest.mark.skipif(sys.platform == 'win32', reason='POSIX')\ndef test_it():\n    os.fork()\n",
        "import signal\nsignal.signal(signal.SIGTERM, h)\nsignal.signal(signal.SIGINT, h)\n",
    ],
)  # fmt: skip
def test_the_scan_accepts_portable_or_guarded_code(source):
    assert scan(source) == []


def _fake_browser(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("")
    path.chmod(0o755)
    return path


def test_the_browser_tests_find_chrome_or_edge_and_an_explicit_chromium(tmp_path, monkeypatch):
    from tests import browser

    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "CHROMIUM_FOLDERS", ())
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser.find_chromium() is None  # then the browser tests skip, saying what they looked for

    edge = _fake_browser(tmp_path, "msedge")
    assert browser.find_chromium() == str(edge)

    (tmp_path / "elsewhere").mkdir()
    explicit = _fake_browser(tmp_path / "elsewhere", "chrome")
    monkeypatch.setenv("CHROMIUM", str(explicit))
    assert browser.find_chromium() == str(explicit)
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "missing"))
    assert browser.find_chromium() is None
