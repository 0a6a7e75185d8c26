"""What ``make run`` does after the local broker (re)started: it held events in memory only,
so every document that was on its way when the broker went is re-driven at once, instead of
after the reconciler's stall time (``docflow_reconciler``).

The reconciler publishes with an idempotent producer, which a restarted broker may refuse for
good: the new broker hands the same producer id to another client, and the old producer's
next message is out of sequence, a fatal error. The reconciler's publisher does not replace
such a producer (it raises ``KafkaException``, or a ``SystemError`` when the error surfaces in
its delivery report), so a re-drive that fails in any way but ``PublishFailedError`` is tried
again by a new reconciler: ``make run`` never stops over a re-drive.
"""

import contextlib
from collections.abc import Callable
from datetime import datetime

from docflow_reconciler.publisher import PublishFailedError
from docflow_reconciler.reconcile import Reconciler


class LostInFlight:
    """Re-drives, once per broker start, the documents unchanged since before it started;
    ``build`` makes the reconciler that does it (again, when its producer failed for good)."""

    def __init__(self, build: Callable[[], Reconciler], say: Callable[[str], None]) -> None:
        self._build = build
        self._reconciler = build()
        self._say = say
        self._done_for: datetime | None = None

    def check(self, broker_started_at: datetime) -> None:
        if broker_started_at == self._done_for:
            return
        try:
            done = self._reconciler.reconcile(broker_started_at)
        except PublishFailedError as exc:
            self._say(f"could not re-drive the documents in flight yet ({exc}); trying again")
            return
        except Exception as exc:  # whatever the failed producer raised; see above
            self._say(f"could not re-drive the documents in flight yet ({type(exc).__name__}: "
                      f"{exc}); trying again with a new producer")  # fmt: skip
            self._replace()
            return
        self._done_for = broker_started_at
        if done.redriven:
            self._say(f"re-drove {done.redriven} document(s) in flight when the broker stopped")
        if done.failed:
            self._say(f"{done.failed} document(s) in flight failed after too many re-drives")

    def close(self) -> None:
        self._reconciler.close()

    def _replace(self) -> None:
        failed, self._reconciler = self._reconciler, self._build()
        # Its producer failed for good: closing it has nothing left to deliver, and may say so.
        with contextlib.suppress(Exception):
            failed.close()
