"""The pipeline's halt switch: a file the supervisor writes when it gives up on a stage.

While the file exists the flow cannot move, so ingest refuses new work (``503``) rather than
accept documents that would wait for a stage nobody runs. The supervisor writes one JSON
object, ``{"service": "...", "reason": "..."}``; anything else there still halts, with a
generic reason. The file is read at most once per :data:`RECHECK_SECONDS`: requests in between
share the last reading.
"""

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

import pydantic

from docflow_runtime.logging import get_logger

RECHECK_SECONDS: Final = 1.0
GENERIC_REASON: Final = "a stage of the pipeline is down"
#: The supervisor writes one short line; a larger file is not its notice.
_MAX_NOTICE_BYTES: Final = 4096
_MAX_REASON_CHARS: Final = 300
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")

log = get_logger(__name__)


class HaltNotice(pydantic.BaseModel):
    """What the supervisor writes: the service it gave up on, and why."""

    service: str
    reason: str


def read_halt_file(path: Path) -> str | None:
    """Why the pipeline is halted, or None when the file does not exist."""
    try:
        with path.open("rb") as notice_file:
            raw = notice_file.read(_MAX_NOTICE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError:
        # It is there but cannot be read: halted all the same.
        return GENERIC_REASON
    try:
        notice = HaltNotice.model_validate_json(raw)
    except pydantic.ValidationError:
        return GENERIC_REASON
    return _CONTROL.sub(" ", f"{notice.service} is down: {notice.reason}")[:_MAX_REASON_CHARS]


class HaltSwitch:
    """The halt file's last reading, renewed at most once per ``recheck_seconds``."""

    def __init__(
        self,
        path: Path | None,
        *,
        recheck_seconds: float = RECHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._path = path
        self._recheck_seconds = recheck_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._next_reading = float("-inf")
        self._reason: str | None = None

    def reason(self) -> str | None:
        """Why the pipeline is halted, or None while it flows (or no halt file is set)."""
        if self._path is None:
            return None
        with self._lock:
            now = self._clock()
            if now >= self._next_reading:
                self._next_reading = now + self._recheck_seconds
                self._update(read_halt_file(self._path))
            return self._reason

    def _update(self, reason: str | None) -> None:
        if reason != self._reason:
            if reason is None:
                log.info("the pipeline flows again: accepting new work")
            else:
                log.warning("the pipeline is halted: refusing new work", reason=reason)
        self._reason = reason
