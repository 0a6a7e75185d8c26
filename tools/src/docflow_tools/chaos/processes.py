"""The processes of one chaos run, found from the outside as an operator would (``/proc``).

Every process the run starts inherits a marker variable from the chaos tool's environment,
so its processes are found even when they lost their parent (the parsers of a killed extract,
services of a killed ``make run``): nothing of a run is left behind.
"""

import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

#: The variable every process of a run carries, with the run's id as its value.
MARKER: Final = "DOCFLOW_CHAOS_RUN_ID"
_PROC: Final = Path("/proc")
_POLL_SECONDS: Final = 0.1


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    argv: tuple[str, ...]


def processes() -> Iterator[Process]:
    """Every process that still runs (zombies have no command line and are left out)."""
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            found = _read(int(entry.name))
            if found is not None and found.argv:
                yield found


def children(parent: int) -> list[Process]:
    return [process for process in processes() if process.parent == parent]


def service_pid(run_pid: int, module: str) -> int | None:
    """The process ``make run`` (``run_pid``) started as ``python -m module``."""
    return next((p.pid for p in children(run_pid) if p.argv[1:3] == ("-m", module)), None)


def broker_pid(run_pid: int) -> int | None:
    """The Tansu process ``make run`` (``run_pid``) started (``tansu broker --listener-url …``)."""
    return next((p.pid for p in children(run_pid) if p.argv[1:2] == ("broker",)), None)


def marked(run_id: str) -> list[int]:
    """The processes that carry ``run_id`` in their environment."""
    needle = f"\0{MARKER}={run_id}\0".encode()
    return [p.pid for p in processes() if needle in _environment(p.pid)]


def kill_marked(run_id: str, *, timeout: float) -> list[int]:
    """SIGKILL every process of the run; the pids still there after ``timeout`` seconds."""
    found = marked(run_id)
    for pid in found:
        signal_process(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    # Read again rather than probing the pids: a killed orphan may stay an unreaped zombie,
    # which runs nothing and is not left behind.
    while (left := marked(run_id)) and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
    return left


def signal_process(pid: int, signum: signal.Signals) -> bool:
    """Whether ``signum`` reached ``pid`` (it may have exited in between)."""
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        return False
    return True


def _read(pid: int) -> Process | None:
    # A process may exit while it is read; it then simply is not there.
    try:
        argv = (_PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
        stat = (_PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (in parentheses) may hold spaces; the parent's pid is after it.
    parent = int(stat.rsplit(")", 1)[1].split()[1])
    return Process(pid, parent, tuple(a.decode(errors="replace") for a in argv if a))


def _environment(pid: int) -> bytes:
    try:
        # Framed by NULs like every entry, so that a whole entry is matched, never a suffix.
        return b"\0" + (_PROC / str(pid) / "environ").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return b""
