"""`manage.py devserver` run as a person runs it: a subprocess serving the product on loopback."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from core.local import processes

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path, **extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k not in {"DJANGO_SETTINGS_MODULE", "STAGE", "DATABASE_URL"}
    }
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def _start_devserver(http_port: int, *args: str, env: dict[str, str]) -> subprocess.Popen:
    """devserver in its own process group (as a terminal runs it), output captured, Ctrl-C live."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{http_port}", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **processes.group_options(),
    )


def _finish(proc: subprocess.Popen, timeout: float = 60) -> str:
    """The process's output once it has exited; if Ctrl-C did not stop it, fail showing why."""
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        processes.kill_group(proc)
        output, _ = proc.communicate()
        raise AssertionError(
            f"devserver still running {timeout}s after Ctrl-C; its output:\n{output}"
        ) from None
    return output


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"devserver exited early:\n{proc.stdout.read()}")
        try:
            requests.get(url, timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):  # not up yet, or its first page is slow
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def test_devserver_serves_every_entry_page_and_stops_cleanly_on_ctrl_c(tmp_path):
    http_port, aws_port = _free_port(), _free_port()
    proc = _start_devserver(http_port, "--demo", env=_env(tmp_path, LOCAL_AWS_PORT=str(aws_port)))
    try:
        base = f"http://127.0.0.1:{http_port}"
        _wait_for(base + "/", proc)
        statuses = {
            path: requests.get(base + path, timeout=30).status_code
            for path in ("/", "/admin/login/", "/api/", "/api/schema/", "/api/docs/")
        }
        login = requests.Session()
        login.get(base + "/account/login/", timeout=10)
        logged_in = login.post(
            base + "/account/login/",
            data={
                "username": "demo",
                "password": "demo-pass-2026",
                "csrfmiddlewaretoken": login.cookies["csrftoken"],
            },
            headers={"Referer": base + "/account/login/"},
            timeout=10,
        )
    finally:
        # Ctrl-C in a terminal signals the whole foreground process group (Ctrl-Break on Windows).
        processes.interrupt_group(proc)
        output = _finish(proc)

    assert statuses == {"/": 200, "/admin/login/": 200, "/api/": 200, "/api/schema/": 200, "/api/docs/": 200}
    assert 'data-testid="username">demo<' in logged_in.text
    assert f"Embedded AWS (moto) on http://127.0.0.1:{aws_port}" in output
    assert f"Log in at {base}/account/login/ as demo / demo-pass-2026" in output
    assert "routines: 0 routine days restored from the archive" in output
    assert "Embedded AWS stopped." in output
    assert "[events] drained:" in output  # the runner caught up before the emulator went
    time.sleep(0.5)
    assert not processes.group_alive(proc), "a devserver process outlived Ctrl-C"
    assert not _listening(aws_port), "the emulator outlived Ctrl-C"


def test_devserver_exits_with_one_line_when_the_emulator_port_is_taken(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken = blocker.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "manage.py", "devserver", f"127.0.0.1:{_free_port()}", "--noreload"],
            cwd=ROOT,
            env=_env(tmp_path, LOCAL_AWS_PORT=str(taken)),
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"CommandError: Port {taken} is taken: set LOCAL_AWS_PORT to a free port for the embedded AWS."
    )


def test_devserver_never_starts_the_emulator_when_a_real_endpoint_is_configured(tmp_path, moto_url):
    http_port, aws_port = _free_port(), _free_port()
    proc = _start_devserver(
        http_port,
        "--noreload",
        env=_env(
            tmp_path,
            LOCAL_AWS_PORT=str(aws_port),
            AWS_ENDPOINT_URL=moto_url,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_RESOURCE_PREFIX="devserver-real-",
        ),
    )
    try:
        _wait_for(f"http://127.0.0.1:{http_port}/", proc)
        assert not _listening(aws_port)
    finally:
        processes.interrupt(proc)
        output = _finish(proc)

    assert f"Using {moto_url}; the embedded emulator is not started." in output
    assert "table  devserver-real-sessions:" in output


def _login_as_demo(base: str) -> requests.Session:
    session = requests.Session()
    session.get(base + "/account/login/", timeout=30)
    session.post(
        base + "/account/login/",
        data={
            "username": "demo",
            "password": "demo-pass-2026",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=30,
    )
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def test_a_journal_whose_database_was_deleted_is_set_aside_not_replayed(tmp_path):
    journal = tmp_path / "dev.sqlite3.aws-journal"
    journal.write_text('{"r":"us-east-1","t":"DeleteTable","b":"{}"}\n')
    http_port, aws_port = _free_port(), _free_port()
    proc = _start_devserver(
        http_port, "--noreload", "--no-events", env=_env(tmp_path, LOCAL_AWS_PORT=str(aws_port))
    )
    try:
        _wait_for(f"http://127.0.0.1:{http_port}/", proc)
    finally:
        processes.interrupt_group(proc)
        output = _finish(proc)

    assert "its old DynamoDB journal is now" in output
    assert (tmp_path / "dev.sqlite3.aws-journal.orphaned").exists()
    assert "0 writes replayed" in output
