"""Process groups, Ctrl-C and stopping, the same on Windows, macOS and Linux (standard library only).

POSIX: Ctrl-C in a terminal sends SIGINT to the whole foreground process group, so a child started in
the same group gets it too, and a group of its own (``start_new_session``) is stopped with one
``os.killpg``. Windows has no signals between processes: a console's Ctrl-C reaches every process
attached to it, except those started in a new process group (``CREATE_NEW_PROCESS_GROUP``), which
ignore it; ``os.kill(pid, CTRL_BREAK_EVENT)`` reaches such a group (Python sees SIGBREAK); and a
forced stop is ``TerminateProcess`` (``Popen.kill``), one process at a time (``taskkill /T`` for a
tree). Every name that exists on one platform only is used below under a platform test
(tests/core/test_portability.py checks the laptop code for that).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from typing import Any


def stop_signals() -> tuple[int, ...]:
    """The signals that mean "stop cleanly" here: Ctrl-C, SIGTERM, and Ctrl-Break on Windows."""
    return (signal.SIGINT, *termination_signals())


def termination_signals() -> tuple[int, ...]:
    """Those of :func:`stop_signals` Python does not already turn into KeyboardInterrupt."""
    if sys.platform == "win32":
        return (signal.SIGTERM, signal.SIGBREAK)
    return (signal.SIGTERM,)


def child_gets_ctrl_c() -> bool:
    """Whether a child started with :func:`child_options` gets the console's Ctrl-C itself."""
    return sys.platform != "win32"


def child_options() -> dict[str, Any]:
    """Popen options for a child this process stops itself with :func:`interrupt`.

    POSIX: nothing (the child stays in the terminal's group and gets its Ctrl-C too). Windows: a new
    process group, the only thing Ctrl-Break can be sent to (so the console's Ctrl-C reaches only
    this process, which passes it on)."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {}


def interrupt(child: subprocess.Popen) -> None:
    """What a Ctrl-C would do to ``child`` (started with :func:`child_options` or
    :func:`group_options`): SIGINT on POSIX, Ctrl-Break to its group on Windows."""
    if sys.platform == "win32":
        child.send_signal(signal.CTRL_BREAK_EVENT)
    else:
        child.send_signal(signal.SIGINT)


def group_options() -> dict[str, Any]:
    """Popen options starting a child as the leader of a process group of its own, as a terminal
    starts a command, Ctrl-C live (the tests run ``manage.py devserver`` so, then stop the group)."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True, "preexec_fn": _ctrl_c_live}


def _ctrl_c_live() -> None:
    """Undo an inherited "ignore Ctrl-C" (a background job's lot, e.g. CI started with `&`)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt_group(leader: subprocess.Popen) -> None:
    """Ctrl-C to every process of ``leader``'s group (started with :func:`group_options`)."""
    if sys.platform == "win32":
        leader.send_signal(signal.CTRL_BREAK_EVENT)
    else:
        os.killpg(leader.pid, signal.SIGINT)


def terminate_group(leader: subprocess.Popen) -> None:
    """SIGTERM to ``leader``'s group; on Windows (no SIGTERM between processes) Ctrl-Break."""
    if sys.platform == "win32":
        leader.send_signal(signal.CTRL_BREAK_EVENT)
    else:
        os.killpg(leader.pid, signal.SIGTERM)


def kill_group(leader: subprocess.Popen) -> None:
    """Stop ``leader`` and every process it started at once, giving them no chance to clean up
    (SIGKILL to the group; on Windows ``taskkill /F /T``, which ends the tree)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(leader.pid)], capture_output=True, check=False)
    else:
        with contextlib.suppress(ProcessLookupError):  # the whole group had already exited
            os.killpg(leader.pid, signal.SIGKILL)


def group_alive(leader: subprocess.Popen) -> bool:
    """True while a process of ``leader``'s group runs (Windows: while the leader runs; it has no
    group membership to ask about)."""
    if sys.platform == "win32":
        return leader.poll() is None
    else:  # the POSIX names stay under the platform test
        try:
            os.killpg(leader.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
