"""A service that works in passes, one every interval, instead of event by event (the
reconciler). It gets what a stage worker gets around its work: settings checked before
anything starts, logging, SIGTERM and SIGINT, and ``/healthz``, ``/readyz``, ``/metrics``.
"""

import threading
import time
from abc import ABC, abstractmethod
from types import FrameType
from typing import ClassVar

from docflow_runtime.health import HealthServer
from docflow_runtime.logging import get_logger
from docflow_runtime.settings import HealthSettings
from docflow_runtime.signals import on_stop_signals

log = get_logger(__name__)


class Periodic(ABC):
    """One pass of work; raising fails that pass only (it is logged, the next one runs)."""

    name: ClassVar[str]

    @property
    @abstractmethod
    def interval_seconds(self) -> float:
        """The pause between the end of a pass and the start of the next."""

    @abstractmethod
    def run_once(self) -> None: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release backends; called once when the service stops."""


class PassLoop:
    """Runs a :class:`Periodic` until stopped; healthy while passes keep coming, ready while
    the last one succeeded."""

    def __init__(self, task: Periodic, settings: HealthSettings) -> None:
        self._task = task
        self._stop = threading.Event()
        self._last_pass = time.monotonic()
        self._last_error: str | None = None
        self._health = HealthServer(
            settings.health_host, settings.health_port,
            liveness=self.liveness, readiness=self.readiness,
        )  # fmt: skip

    @property
    def health_port(self) -> int:
        return self._health.port

    def run(self) -> None:
        on_stop_signals(self._on_signal)
        self._health.start()
        log.info("service starting", service=self._task.name)
        try:
            while not self._stop.is_set():
                self._one_pass()
                self._stop.wait(self._task.interval_seconds)
        finally:
            self._health.stop()
            self._task.close()
            log.info("service stopped", service=self._task.name)

    def stop(self) -> None:
        self._stop.set()

    def liveness(self) -> tuple[bool, str]:
        # A pass may take a while; one that never ends is what this catches.
        silent = time.monotonic() - self._last_pass
        limit = 10 * self._task.interval_seconds + 60
        return silent < limit, f"last pass ended {silent:.0f}s ago"

    def readiness(self) -> tuple[bool, str]:
        if self._last_error is not None:
            return False, f"the last pass failed: {self._last_error}"
        return True, "passes succeed"

    def _one_pass(self) -> None:
        try:
            self._task.run_once()
        except Exception as exc:
            self._last_error = f"{type(exc).__name__}: {exc}"[:300]
            log.exception("pass failed; the next one runs as planned", service=self._task.name)
        else:
            self._last_error = None
        self._last_pass = time.monotonic()

    def _on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        self._stop.set()
