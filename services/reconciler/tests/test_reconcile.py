"""The reconciler on a real results store, fed by the tracker as in production."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from docflow_events import Envelope, EventData
from docflow_events.v1 import DocumentFailed, DocumentReceived, ExtractionCompleted
from docflow_reconciler.reconcile import REDRIVEN, Pass, Reconciler
from docflow_results.models import DocumentStatus, WebhookDelivery
from docflow_results.sqlite import SqliteRepository
from docflow_testing.events import T0, DocumentFlow, through_kafka
from docflow_testing.results import new_document
from docflow_tracker.stage import Tracker

HOUR = timedelta(hours=1)


class Published:
    """A publisher that keeps what it is given."""

    def __init__(self) -> None:
        self.events: list[Envelope[Any]] = []

    def publish(self, events: Sequence[Envelope[Any]]) -> None:
        self.events.extend(events)

    def close(self) -> None:
        return None


class Clock:
    """An hour ahead of the events the test makes (they are stamped with the real time)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC) + HOUR

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def published() -> Published:
    return Published()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def reconciler(repository: SqliteRepository, published: Published, clock: Clock) -> Reconciler:
    return Reconciler(repository, published, stalled_after=HOUR / 2, max_redrives=2, batch=10,
                      interval_seconds=1, clock=clock)  # fmt: skip


def a_pass(reconciler: Reconciler, clock: Clock) -> Pass:
    """One pass at the clock's time, as ``run_once`` makes it."""
    return reconciler.reconcile(clock() - HOUR / 2)


def track(repository: SqliteRepository, *events: Envelope[EventData]) -> None:
    tracker = Tracker(repository)
    for event in events:
        tracker.handle(event)


def test_a_stalled_document_gets_the_event_that_brought_it_there_again(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    flow = DocumentFlow("doc-1")
    extracted = through_kafka(flow.extracted(), event_id="extracted-1")
    track(repository, through_kafka(flow.received()), extracted)
    done = a_pass(reconciler, clock)
    assert (done.redriven, done.failed) == (1, 0)
    [again] = published.events
    assert again == extracted, "the same event, id included: a redelivery to whoever had it"
    assert isinstance(again.data, ExtractionCompleted)
    [mark] = [e for e in repository.timeline("acme", "doc-1") if e.event_type == REDRIVEN]
    assert mark.detail == {"event_type": ExtractionCompleted.event_type, "attempt": 1}
    assert a_pass(reconciler, clock).redriven == 0, "the re-drive restarted its clock"


def test_documents_that_move_or_wait_for_a_person_are_left_alone(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    waiting, stored, moving = DocumentFlow("review"), DocumentFlow("done"), DocumentFlow("busy")
    track(repository, through_kafka(waiting.received()), through_kafka(waiting.validation_failed()),
          through_kafka(stored.received()), through_kafka(stored.stored()))  # fmt: skip
    recent = through_kafka(moving.received())
    track(repository, recent)
    clock.now = recent.time + HOUR / 4
    assert reconciler.reconcile(clock.now - HOUR / 2).redriven == 0
    assert published.events == []


def test_a_document_is_failed_once_its_re_drives_run_out(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    flow = DocumentFlow("doc-1")
    track(repository, through_kafka(flow.received()), through_kafka(flow.extracted()))
    for _ in range(2):
        assert a_pass(reconciler, clock).redriven == 1
        clock.now += HOUR
    assert a_pass(reconciler, clock).failed == 1
    failure = published.events[-1]
    assert isinstance(failure.data, DocumentFailed)
    assert (failure.data.stage, failure.data.error_class) == ("reconciler", "StalledDocumentError")
    assert "no progress in status extracted" in failure.data.reason
    assert "after 2 re-drives" in failure.data.reason
    track(repository, failure)
    document = repository.get("acme", "doc-1")
    assert document is not None
    assert document.status is DocumentStatus.FAILED
    assert document.error is not None
    assert document.error.stage == "reconciler"


def test_a_new_run_gets_its_own_re_drives(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    flow = DocumentFlow("doc-1")
    track(repository, through_kafka(flow.received()))
    for _ in range(2):
        a_pass(reconciler, clock)
        clock.now += HOUR
    second = through_kafka(flow.received().model_copy(update={"run": 2}))
    track(repository, second)
    clock.now += HOUR
    assert a_pass(reconciler, clock).redriven == 1
    assert published.events[-1] == second


def test_a_received_document_the_tracker_never_saw_is_announced_from_its_row(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    document, _ = repository.create(new_document(created_at=T0, callback_url="https://x.test"))
    assert a_pass(reconciler, clock).redriven == 1
    [announced] = published.events
    assert isinstance(announced.data, DocumentReceived)
    assert (announced.subject, announced.data.run) == (document.id, 1)
    assert (announced.data.content, announced.data.callback_url) == (
        document.content, "https://x.test"
    )  # fmt: skip
    clock.now += HOUR
    a_pass(reconciler, clock)
    assert published.events[-1].id == announced.id, "announced again under the same id"


def test_a_step_that_cannot_be_read_fails_the_document_with_the_reason(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    document, _ = repository.create(new_document(created_at=T0))
    repository.record_event(
        "acme", document.id, event_id="x", event_type="io.docflow.unknown.v9", at=T0,
        status=DocumentStatus.EXTRACTED, detail={}, step={"type": "io.docflow.unknown.v9"},
    )  # fmt: skip
    assert a_pass(reconciler, clock).failed == 1
    failure = published.events[-1].data
    assert isinstance(failure, DocumentFailed)
    assert failure.reason == "no progress in status extracted, and no step to re-drive from"


def test_re_drives_are_counted_since_the_document_last_moved(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    flow = DocumentFlow("doc-1")
    track(repository, through_kafka(flow.received()))
    for _ in range(2):
        assert a_pass(reconciler, clock).redriven == 1
        clock.now += HOUR
    moved = through_kafka(flow.extracted()).model_copy(update={"time": clock.now})
    track(repository, moved)  # the last re-drive worked: the document moved on
    clock.now += HOUR
    assert a_pass(reconciler, clock).redriven == 1, "stuck again: re-driven, not failed"


def test_a_final_document_whose_webhook_never_went_is_announced_again(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    flow = DocumentFlow("doc-1")
    stored = through_kafka(flow.stored(), event_id="stored-1")
    track(repository, through_kafka(flow.received(callback_url="https://x.test/hook")), stored)
    for _ in range(2):
        assert a_pass(reconciler, clock).redriven == 1
        clock.now += HOUR
    assert a_pass(reconciler, clock) == Pass(), "notify had its chances; the document is final"
    assert published.events == [stored, stored]
    document = repository.get("acme", "doc-1")
    assert document is not None
    assert document.status is DocumentStatus.STORED


def test_a_final_document_with_a_delivery_logged_is_left_alone(
    reconciler: Reconciler, repository: SqliteRepository, published: Published, clock: Clock
) -> None:
    flow = DocumentFlow("doc-1")
    stored = through_kafka(flow.stored(), event_id="stored-1")
    track(repository, through_kafka(flow.received(callback_url="https://x.test/hook")), stored)
    repository.record_webhook(WebhookDelivery(
        id="stored-1/1", document_id="doc-1", url="https://x.test/hook", attempt=1,
        status_code=204, error=None, delivered=True, at=clock.now,
    ))  # fmt: skip
    assert a_pass(reconciler, clock) == Pass()
    assert published.events == []
