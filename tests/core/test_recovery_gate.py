"""The recovery gate: every app's work in flight survives a SIGKILL of `make run` (tests/recovery.py).

One devserver, every app's work started, the whole process group killed with SIGKILL mid-work,
one restart, and then every piece of work must reach a final state within a bound, with nothing
acknowledged lost and no side effect twice. Short deadlines come from the cases' ``env`` and
``LOCAL_RATE_MINUTE_SECONDS`` (a scheduled minute of two seconds), so nothing waits for minutes.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from core.local import processes
from tests.core.test_devserver import _env, _login_as_demo, _start_devserver, _wait_for
from tests.recovery import NothingInFlight, RecoveryCase, World, declarations
from tests.support.net import free_port

MID_WORK_SECONDS = 1.5  # after every case started: work is queued, fetching, sending and storing
FINISH_WITHIN_SECONDS = 120  # a bound, not a figure: the gate's time is in bench/README.md


def test_every_app_declares_how_its_work_recovers():
    declared = declarations()

    missing = sorted(label for label, case in declared.items() if case is None)
    assert not missing, (
        f"{missing} declare no recovery case: add tests/<app>/recovery.py with RECOVERY = RecoveryCase(...) "
        "(or NothingInFlight('why nothing ever waits'))"
    )
    for label, case in declared.items():
        assert isinstance(case, RecoveryCase | NothingInFlight), f"{label}: RECOVERY is {case!r}"
        if isinstance(case, NothingInFlight):
            assert case.reason.strip(), f"{label}: say why nothing of it is ever in flight"


@pytest.mark.slow
@pytest.mark.xdist_group("devserver")
def test_every_apps_work_finishes_after_a_sigkill_and_a_restart(tmp_path):
    failures, output = run_recovery(tmp_path, short_deadlines=True, finish_within=FINISH_WITHIN_SECONDS)

    assert not failures, "\n".join(f"{label}: {reason}" for label, reason in sorted(failures.items()))
    assert "writes replayed" in output
    assert "[events] drained:" in output


def run_recovery(
    folder, *, short_deadlines: bool, finish_within: float, progress=None
) -> tuple[dict[str, str], str]:
    """One devserver, every case started, SIGKILL mid-work, one restart, then wait (up to
    ``finish_within`` seconds) until every case finished and check each. ``short_deadlines``: the
    cases' ``deadlines`` and a scheduled minute of two seconds (the gate); without them the product's
    own deadlines and real minutes apply (bench/recovery_trial.py). Returns the failures by app and the
    restarted server's output; ``progress(label, seconds)`` hears when each case finished."""
    cases = {label: case for label, case in declarations().items() if isinstance(case, RecoveryCase)}
    http_port, aws_port = free_port(), free_port()
    base = f"http://127.0.0.1:{http_port}"
    extra = {"LOCAL_RATE_MINUTE_SECONDS": "2"} if short_deadlines else {}
    for case in cases.values():
        wanted = {**case.env, **(case.deadlines if short_deadlines else {})}
        extra.update({name: value.format(base=base) for name, value in wanted.items()})
    env = _env(folder, LOCAL_AWS_PORT=str(aws_port), **extra)
    world = World(
        base=base, api=None, aws_url=f"http://127.0.0.1:{aws_port}", database=folder / "dev.sqlite3"
    )

    proc = _start_devserver(http_port, "--demo", "--noreload", env=env)
    handles = {}
    try:
        _wait_for(base + "/", proc)
        world.api = _login_as_demo(base)
        for label, case in cases.items():
            handles[label] = case.start(world)
        time.sleep(MID_WORK_SECONDS)
    finally:
        processes.kill_group(proc)  # the whole group: the emulator, the runner, the server
        first_output, _ = proc.communicate(timeout=30)

    again = _start_devserver(http_port, "--demo", "--noreload", env=env)
    # Read its output as it comes: a run of minutes writes more than a pipe holds, and a full pipe
    # would stop the server mid-recovery.
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(again.stdout or ()), daemon=True)
    reader.start()
    failures: dict[str, str] = {}
    try:
        _wait_for(base + "/", again)
        world.api = _login_as_demo(base)
        started = time.monotonic()
        waiting = list(cases)
        while waiting and time.monotonic() < started + finish_within:
            still = [label for label in waiting if not cases[label].finished(world, handles[label])]
            for label in set(waiting) - set(still):
                if progress is not None:
                    progress(label, time.monotonic() - started)
            waiting = still
            if waiting:
                time.sleep(1)
        for label in waiting:
            failures[label] = f"still unfinished {finish_within:.0f}s after the restart"
        for label, case in cases.items():
            if label in failures:
                continue
            try:
                case.check(world, handles[label])
            except AssertionError as exc:  # every app's verdict, not only the first one's
                failures[label] = str(exc)[:1500]
    finally:
        processes.terminate_group(again)
        try:
            again.wait(timeout=60)
        except subprocess.TimeoutExpired:
            processes.kill_group(again)
            again.wait()
            reader.join(timeout=10)
            raise AssertionError(
                f"devserver still running 60s after Ctrl-C:\n{''.join(lines)[-6000:]}"
            ) from None
        reader.join(timeout=10)
        output = "".join(lines)
    if failures:
        print(first_output[-3000:], output[-6000:], sep="\n--- after the restart ---\n")
    return failures, output
