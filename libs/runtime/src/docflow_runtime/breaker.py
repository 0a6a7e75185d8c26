"""A circuit breaker for a stage's handler: an outage is the backend's, not the events'.

When many different events fail transiently within a short window, the backend (a model
endpoint, a database) is down. Retrying every held event until it is dead-lettered would empty
the backlog into the dead-letter topic; instead the breaker opens: the worker stops fetching,
the backlog waits in Kafka, and one attempt at a time (a probe) tests the backend after each
cool-down. A probe's failure does not use up its event's retries. The first successful probe
closes the breaker.

Failures are counted per event (its latest attempt), so one event that keeps failing cannot
open the breaker on its own: it exhausts its retries and is dead-lettered as usual.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from enum import Enum

#: How often a waiting attempt looks at the clock and at the abort flag.
_WAIT_STEP = 0.1


class Admission(Enum):
    """How an attempt may run: as usual, or as the probe of an open breaker."""

    NORMAL = "normal"
    PROBE = "probe"


class CircuitBreaker:
    """Thread-safe: handler threads ask before each attempt and report its outcome."""

    def __init__(
        self,
        *,
        window: int,
        min_failures: int,
        failure_ratio: float,
        cooldown_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = window
        self._min_failures = min_failures
        self._ratio = failure_ratio
        self._cooldown = cooldown_seconds
        self._clock = clock
        self._latest: OrderedDict[str, bool] = OrderedDict()
        self._opened_at: float | None = None
        self._probing = False
        self._changed = threading.Condition()

    @property
    def is_open(self) -> bool:
        with self._changed:
            return self._opened_at is not None

    def admit(self, abort: threading.Event) -> Admission | None:
        """Wait until an attempt may run; None when ``abort`` is set while waiting."""
        with self._changed:
            while not abort.is_set():
                if self._opened_at is None:
                    return Admission.NORMAL
                if not self._probing and self._clock() - self._opened_at >= self._cooldown:
                    self._probing = True
                    return Admission.PROBE
                self._changed.wait(_WAIT_STEP)
            return None

    def record(self, event: str, *, failed: bool, admission: Admission) -> None:
        """The outcome of one attempt at ``event`` (transient failures only count as failed)."""
        with self._changed:
            if admission is Admission.PROBE:
                self._after_probe(failed)
            elif self._opened_at is None:
                self._remember(event, failed)
            self._changed.notify_all()

    def _after_probe(self, failed: bool) -> None:
        self._probing = False
        if failed:
            self._opened_at = self._clock()  # another cool-down before the next probe
        else:
            self._opened_at = None
            self._latest.clear()

    def _remember(self, event: str, failed: bool) -> None:
        self._latest.pop(event, None)
        self._latest[event] = failed
        while len(self._latest) > self._window:
            self._latest.popitem(last=False)
        failures = sum(self._latest.values())
        if failures >= self._min_failures and failures / len(self._latest) >= self._ratio:
            self._opened_at = self._clock()
