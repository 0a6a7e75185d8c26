"""A pass-through stage for tests and benchmarks of the runtime itself.

It turns each ``document.received`` into one ``extraction.completed`` and takes its behaviour
from the event: ``metadata`` may ask it to sleep, to fail permanently, or to fail transiently a
number of times first, so a test states in its input what should happen to each event.
"""

import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field

from docflow_events import Envelope, EventData, Topic
from docflow_events.v1 import Cost, DocumentReceived, ExtractionCompleted
from docflow_runtime.entrypoint import run_stage
from docflow_runtime.errors import PermanentError, TransientError
from docflow_runtime.settings import RuntimeSettings
from docflow_runtime.stage import Stage


class PassThroughSettings(RuntimeSettings):
    passthrough_sleep_seconds: float = Field(default=0.0, ge=0)


class PassThrough(Stage):
    name: ClassVar[str] = "passthrough"
    inputs: ClassVar[tuple[str, ...]] = (Topic.DOCUMENT_RECEIVED,)

    def __init__(self, settings: PassThroughSettings) -> None:
        self._sleep = settings.passthrough_sleep_seconds
        self._attempts: defaultdict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()
        self._spans: list[tuple[float, float]] = []

    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]:
        data = event.data
        if not isinstance(data, DocumentReceived):
            raise PermanentError(f"passthrough reads document.received, not {event.type}")
        started = time.monotonic()
        self._misbehave(event.id, data.metadata)
        with self._lock:
            self._spans.append((started, time.monotonic()))
        return [
            ExtractionCompleted(
                document_id=data.document_id,
                tenant=data.tenant,
                content=data.content,
                extraction=data.content,
                media_type=data.media_type,
                page_count=0,
                cost=Cost(backend="passthrough"),
            )
        ]

    def attempts(self, event_id: str) -> list[float]:
        """Monotonic start times of every attempt at one event."""
        with self._lock:
            return list(self._attempts.get(event_id, []))

    def handled(self) -> set[str]:
        """Ids of the events this instance was asked to handle."""
        with self._lock:
            return set(self._attempts)

    def first_start(self) -> float:
        """Monotonic time the first handler call began."""
        with self._lock:
            return min(s for s, _ in self._spans)

    def busy_seconds(self) -> float:
        """Wall time from the first handler start to the last handler end."""
        with self._lock:
            return max(e for _, e in self._spans) - min(s for s, _ in self._spans)

    def _misbehave(self, event_id: str, metadata: dict[str, object]) -> None:
        with self._lock:
            self._attempts[event_id].append(time.monotonic())
            attempt = len(self._attempts[event_id])
        pause = float(str(metadata.get("sleep", self._sleep)))
        if pause:
            time.sleep(pause)
        if metadata.get("fail") == "permanent":
            raise PermanentError("asked to fail permanently")
        if attempt <= int(str(metadata.get("transient_failures", 0))):
            raise TransientError(f"asked to fail transiently (attempt {attempt})")


def main() -> int:
    return run_stage(PassThroughSettings, PassThrough)


if __name__ == "__main__":
    raise SystemExit(main())
