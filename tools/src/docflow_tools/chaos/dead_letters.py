"""Watching the dead-letter topics of a chaos run while it goes on.

The local broker forgets every topic when it is killed, so the topics are read again and
again and each dead letter is kept once (by the failed event's id and when it failed). A
dead letter written just before a broker kill can still be gone before it is read: what
this sees is a lower bound. The documents' status tells which ones failed, and is complete.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from confluent_kafka import KafkaException

from docflow_runtime.records import DLQ_HEADER_PREFIX
from docflow_testing.broker import ConsumedMessage, consume_all

READ_TIMEOUT_SECONDS: Final = 5.0
#: librdkafka would report every refused connection while the broker is down.
_QUIET: Final = {"log_level": "0"}


@dataclass(frozen=True)
class DeadLetter:
    stage: str
    document_id: str
    event_id: str
    failed_at: str
    error_class: str
    permanent: bool


class DeadLetterWatch:
    """Reads ``topics`` (stage -> dead-letter topic) every ``interval`` seconds until closed."""

    def __init__(self, bootstrap: str, topics: Mapping[str, str], interval: float) -> None:
        self._bootstrap = bootstrap
        self._topics = dict(topics)
        self._interval = interval
        self._seen: dict[tuple[str, str, str], DeadLetter] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="dead-letters", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Stop watching; :meth:`read_once` reads no more after this."""
        self._stop.set()
        self._thread.join()

    def letters(self) -> list[DeadLetter]:
        with self._lock:
            return list(self._seen.values())

    def read_once(self) -> None:
        for stage, topic in self._topics.items():
            if self._stop.is_set():
                return
            try:
                records = consume_all(
                    self._bootstrap, topic, expected=None, timeout=READ_TIMEOUT_SECONDS,
                    client_config=_QUIET,
                )  # fmt: skip
            except (KafkaException, LookupError):
                continue  # the broker is down or has not created its topics yet: next round
            with self._lock:
                for record in records:
                    letter = _letter(stage, record)
                    self._seen.setdefault((stage, letter.event_id, letter.failed_at), letter)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.read_once()
            self._stop.wait(self._interval)


def _letter(stage: str, record: ConsumedMessage) -> DeadLetter:
    def header(name: str) -> str:
        return (record.header(name) or b"").decode(errors="replace")

    return DeadLetter(
        stage=stage,
        document_id=(record.key or b"").decode(errors="replace"),
        event_id=header("ce_id"),
        failed_at=header(DLQ_HEADER_PREFIX + "failed_at"),
        error_class=header(DLQ_HEADER_PREFIX + "error_class"),
        permanent=header(DLQ_HEADER_PREFIX + "permanent") == "true",
    )
