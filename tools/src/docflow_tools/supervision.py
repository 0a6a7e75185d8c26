"""How ``make run`` keeps its services up, and when it stops trying.

A service that exits is started again, unless restarting cannot help: exit status 2 is a
configuration error (``run_stage`` returns it for a setting that can never work), and a
service that keeps crashing would only fill its log. Giving up on a stage halts the pipeline:
the halt file tells ingest to refuse uploads that would never move, with the reason.
"""

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import Final, Generic, Protocol, TypeVar

from docflow_tools.services import INGEST, Service, describe_exit, log_path

#: ``run_stage``'s exit status for invalid settings or a backend that cannot be built.
CONFIGURATION_ERROR: Final = 2
#: More crashes than this within the window is a crash loop, not bad luck.
MAX_CRASHES: Final = 3
CRASH_WINDOW_SECONDS: Final = 60.0
TAIL_LINES: Final = 12
#: A crash after hours of logging must not make the supervisor read the whole log.
_TAIL_BYTES: Final = 16 * 1024
_REASON_CHARS: Final = 300
#: Tracebacks end with ``SomeError: ...``; docflow's own messages say ``invalid ...``; the
#: word must end there, so a URL such as ``errors.pydantic.dev`` is not taken for one.
_ERROR_LINE: Final = re.compile(r"(error|exception|invalid|cannot|failed|fatal)\b", re.IGNORECASE)


class Process(Protocol):
    """What supervising needs of a started service (``subprocess.Popen`` has it)."""

    def poll(self) -> int | None: ...


P = TypeVar("P", bound=Process)


def give_up_reason(code: int, earlier_crashes: Sequence[float], now: float) -> str | None:
    """Why a service that just exited with ``code`` is not started again; ``None``: restart.

    ``earlier_crashes`` are the clock readings of its previous exits.
    """
    if code == CONFIGURATION_ERROR:
        return "a configuration error"
    recent = [t for t in earlier_crashes if now - t < CRASH_WINDOW_SECONDS]
    if len(recent) >= MAX_CRASHES:
        return f"{len(recent) + 1} crashes within {CRASH_WINDOW_SECONDS:g} s"
    return None


def log_tail(path: Path, offset: int, lines: int = TAIL_LINES) -> list[str]:
    """The last ``lines`` non-blank lines written to ``path`` after ``offset``."""
    try:
        with path.open("rb") as log:
            size = log.seek(0, os.SEEK_END)
            log.seek(max(offset, size - _TAIL_BYTES))
            text = log.read().decode(errors="replace")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.strip()][-lines:]


def last_error(tail: Sequence[str]) -> str:
    """The last error ``tail`` names, as one line: from the last line that names an error, with
    the lines that follow it (a validation error names its field on the next lines)."""
    named = [index for index, line in enumerate(tail) if _ERROR_LINE.search(line)]
    lines = tail[named[-1] :] if named else tail[-1:]
    return (" | ".join(line.strip() for line in lines) or "(it wrote nothing)")[:_REASON_CHARS]


@dataclass(frozen=True)
class HaltFile:
    """Where the supervisor tells ingest that the pipeline is halted, and why."""

    path: Path

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def write(self, service: str, reason: str) -> None:
        """Record the first stage given up on; a later one does not hide what halted it."""
        if self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".tmp")
        partial.write_text(json.dumps({"service": service, "reason": reason}) + "\n")
        # Renamed into place, so that ingest never reads half a file.
        partial.replace(self.path)


@dataclass
class _Entry(Generic[P]):
    service: Service
    process: P | None = None
    log_offset: int = 0
    crashes: list[float] = field(default_factory=list)


@dataclass
class Supervisor(Generic[P]):
    """Starts services, restarts those that exit, gives up on those restarting cannot help."""

    services: InitVar[Sequence[Service]]
    start: Callable[[Service], P]
    stop_together: Callable[[Sequence[P]], object]
    log_dir: Path
    halt: HaltFile
    say: Callable[[str], None]
    clock: Callable[[], float]
    _entries: list[_Entry[P]] = field(init=False)

    def __post_init__(self, services: Sequence[Service]) -> None:
        self._entries = [_Entry[P](service) for service in services]

    @property
    def names(self) -> list[str]:
        return [entry.service.name for entry in self._entries]

    def start_all(self) -> None:
        for entry in self._entries:
            self._launch(entry)

    def check(self) -> None:
        """Handle every service that exited since the last check."""
        for entry in self._entries:
            code = None if entry.process is None else entry.process.poll()
            if code is not None:
                self._exited(entry, code)

    def running(self, name: str) -> bool:
        return any(entry.service.name == name and _alive(entry.process) for entry in self._entries)

    def stop(self, names: Sequence[str]) -> None:
        """Stop these services together; they are not restarted afterwards."""
        chosen = [entry for entry in self._entries if entry.service.name in names]
        self.stop_together([entry.process for entry in chosen if entry.process is not None])
        for entry in chosen:
            entry.process = None

    def stop_all(self) -> None:
        self.stop(self.names)

    def _launch(self, entry: _Entry[P]) -> None:
        path = log_path(entry.service, self.log_dir)
        entry.log_offset = path.stat().st_size if path.exists() else 0
        entry.process = self.start(entry.service)

    def _exited(self, entry: _Entry[P], code: int) -> None:
        now = self.clock()
        reason = give_up_reason(code, entry.crashes, now)
        entry.crashes = [t for t in entry.crashes if now - t < CRASH_WINDOW_SECONDS] + [now]
        if reason is None:
            self.say(f"{entry.service.name} {describe_exit(code)}; restarting it")
            self._launch(entry)
            return
        entry.process = None
        self._give_up(entry, code, reason)

    def _give_up(self, entry: _Entry[P], code: int, reason: str) -> None:
        name = entry.service.name
        path = log_path(entry.service, self.log_dir)
        tail = log_tail(path, entry.log_offset)
        self.say(f"{name} {describe_exit(code)}: {reason}; giving up on it, NOT restarting it")
        self.say(f"last lines of {path}:" + "".join(f"\n    | {line}" for line in tail))
        if name == INGEST:
            self.say("ingest is down: the API accepts nothing; Ctrl-C stops the rest")
            return
        self.halt.write(name, f"{name} {describe_exit(code)} ({reason}): {last_error(tail)}")
        self.say(
            f"the pipeline is halted: ingest refuses uploads (503) as {self.halt.path} says;"
            " fix the cause, then Ctrl-C and `make run` again"
        )


def _alive(process: Process | None) -> bool:
    return process is not None and process.poll() is None
