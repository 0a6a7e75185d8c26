"""After the local broker (re)started, make run re-drives at once what was in flight."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException

from docflow_events import Envelope
from docflow_reconciler.publisher import PublishFailedError
from docflow_reconciler.reconcile import Reconciler
from docflow_results.sqlite import SqliteRepository
from docflow_testing.results import T0, new_document
from docflow_tools.recovery import LostInFlight


class Publisher:
    def __init__(self) -> None:
        self.events: list[Envelope[Any]] = []
        self.down = False

    def publish(self, events: Sequence[Envelope[Any]]) -> None:
        if self.down:
            raise PublishFailedError("the broker did not take every event: down")
        self.events.extend(events)

    def close(self) -> None:
        return None


def lost_in_flight(
    repository: SqliteRepository, publisher: Publisher
) -> tuple[LostInFlight, list[str]]:
    said: list[str] = []
    reconciler = Reconciler(repository, publisher, stalled_after=timedelta(hours=1),
                            max_redrives=3, batch=10, interval_seconds=30)  # fmt: skip
    return LostInFlight(lambda: reconciler, said.append), said


def test_what_the_broker_held_is_re_driven_once_per_start(repository: SqliteRepository) -> None:
    publisher = Publisher()
    lost, said = lost_in_flight(repository, publisher)
    document, _ = repository.create(new_document(created_at=T0))
    started = datetime.now(UTC)
    lost.check(started)
    lost.check(started)
    assert [e.subject for e in publisher.events] == [document.id]
    assert said == ["re-drove 1 document(s) in flight when the broker stopped"]
    lost.check(datetime.now(UTC) + timedelta(seconds=1))
    assert len(publisher.events) == 2, "a broker started again lost it again"


def test_a_failed_re_drive_is_tried_again(repository: SqliteRepository) -> None:
    publisher = Publisher()
    lost, said = lost_in_flight(repository, publisher)
    repository.create(new_document(created_at=T0))
    publisher.down = True
    started = datetime.now(UTC)
    lost.check(started)
    assert publisher.events == []
    assert said[0].startswith("could not re-drive the documents in flight yet")
    publisher.down = False
    lost.check(started)
    assert len(publisher.events) == 1


@pytest.mark.parametrize(
    "error",
    [
        KafkaException(KafkaError(KafkaError._FATAL, "out of order sequence number")),
        # What confluent-kafka raises when the fatal error surfaces in a delivery report.
        SystemError("<method 'str' of 'KafkaError' objects> returned a result with an error set"),
    ],
)
def test_a_producer_the_restarted_broker_refused_for_good_is_replaced(
    repository: SqliteRepository, error: Exception
) -> None:
    """A fatal producer error must not end make run: the next check re-drives through a new
    reconciler, with a new producer."""
    fatal, fresh = FatalPublisher(error), Publisher()
    built = iter([fatal, fresh])
    said: list[str] = []

    def build() -> Reconciler:
        return Reconciler(repository, next(built), stalled_after=timedelta(hours=1),
                          max_redrives=3, batch=10, interval_seconds=30)  # fmt: skip

    lost = LostInFlight(build, said.append)
    document, _ = repository.create(new_document(created_at=T0))
    started = datetime.now(UTC)
    lost.check(started)
    assert said[0].endswith("trying again with a new producer")
    assert fatal.closed
    lost.check(started)
    assert [e.subject for e in fresh.events] == [document.id]


class FatalPublisher(Publisher):
    """A producer in librdkafka's fatal state: producing raises, and so may closing."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error
        self.closed = False

    def publish(self, events: Sequence[Envelope[Any]]) -> None:
        raise self.error

    def close(self) -> None:
        self.closed = True
        raise KafkaException(KafkaError(KafkaError._FATAL, "still fatal"))
