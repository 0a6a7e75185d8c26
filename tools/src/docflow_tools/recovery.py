"""What ``make run`` does after the local broker (re)started: it held events in memory only,
so every document that was on its way when the broker went is re-driven at once, instead of
after the reconciler's stall time (``docflow_reconciler``)."""

from collections.abc import Callable
from datetime import datetime

from docflow_reconciler.publisher import PublishFailedError
from docflow_reconciler.reconcile import Reconciler


class LostInFlight:
    """Re-drives, once per broker start, the documents unchanged since before it started."""

    def __init__(self, reconciler: Reconciler, say: Callable[[str], None]) -> None:
        self._reconciler = reconciler
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
        self._done_for = broker_started_at
        if done.redriven:
            self._say(f"re-drove {done.redriven} document(s) in flight when the broker stopped")
        if done.failed:
            self._say(f"{done.failed} document(s) in flight failed after too many re-drives")

    def close(self) -> None:
        self._reconciler.close()
