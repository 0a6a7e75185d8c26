"""Ctrl-C stops ``make run`` in flow order, each step waiting (bounded) until the next stage
has taken what the stopped one handed on; a second Ctrl-C stops the rest at once."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from docflow_results.models import DocumentStatus
from docflow_results.sqlite import SqliteRepository
from docflow_testing.results import T0, new_document
from docflow_testing.results_contract import event
from docflow_tools import shutdown
from docflow_tools.services import SERVICES
from docflow_tools.shutdown import FLOW_ORDER, Drain, InFlight, stop_in_flow_order

IN_FLIGHT = (
    DocumentStatus.RECEIVED,
    DocumentStatus.EXTRACTED,
    DocumentStatus.VALIDATED,
    DocumentStatus.ENRICHED,
)


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class SecondCtrlC:
    """Passes time on the fake clock while waiting; set after ``after`` waits, if given."""

    clock: Clock
    after: int | None = None
    waits: int = 0

    def is_set(self) -> bool:
        return self.after is not None and self.waits >= self.after

    def wait(self, timeout: float) -> bool:
        self.clock.now += timeout
        self.waits += 1
        assert self.waits < 10_000, "a drain waited without bound"
        return self.is_set()


@dataclass
class Pipeline:
    """Fake services and a fake store: stopping a service is recorded; each tick a running
    stage takes one document of the status it drains."""

    pending: dict[DocumentStatus, int] = field(default_factory=dict)
    running_names: set[str] = field(default_factory=lambda: {s.name for s in SERVICES})
    stuck: set[str] = field(default_factory=set)
    stops: list[list[str]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def running(self, name: str) -> bool:
        return name in self.running_names

    def stop(self, names: Sequence[str]) -> None:
        self.stops.append([str(name) for name in names])
        self.events.append(f"stop {','.join(map(str, names))}")
        self.running_names -= set(names)

    def count(self, status: DocumentStatus) -> int:
        self.events.append(f"count {status}")
        return self.pending.get(status, 0)

    def tick(self) -> None:
        for step in FLOW_ORDER:
            taker = step.drained_by
            if step.drain and taker in self.running_names and taker not in self.stuck:
                self.pending[step.drain] = max(0, self.pending.get(step.drain, 0) - 1)


def drain(pipeline: Pipeline, interrupt: SecondCtrlC, said: list[str], timeout: float) -> Drain:
    return Drain(pipeline.count, timeout, interrupt, pipeline.tick, said.append, interrupt.clock)


def test_every_service_is_stopped_once_ingest_first_tracker_last() -> None:
    names = [name for step in FLOW_ORDER for name in step.services]
    assert sorted(names) == sorted(s.name for s in SERVICES)
    assert names[:2] == ["reconciler", "ingest"], "nothing new enters the flow while it drains"
    assert names[-1] == "tracker"
    # Documents waiting for review wait for a person: no step waits for them.
    assert [step.drain for step in FLOW_ORDER if step.drain] == list(IN_FLIGHT)


def test_each_stage_stops_only_after_the_one_before_it_drained() -> None:
    pipeline = Pipeline(pending={status: 2 for status in IN_FLIGHT})
    said: list[str] = []
    stop_in_flow_order(pipeline, drain(pipeline, SecondCtrlC(Clock()), said, timeout=30))

    assert pipeline.stops == [list(step.services) for step in FLOW_ORDER]
    # Before each next stop, the status the last stopped stage handed on was counted empty.
    assert pipeline.pending == dict.fromkeys(IN_FLIGHT, 0)
    stop_extract = pipeline.events.index("stop extract")
    assert pipeline.events[stop_extract - 1] == "count received"
    assert "waiting up to 30 s for extract to take 2 received document(s)" in " ".join(said)
    assert "extract took them" in said


def test_each_wait_is_bounded_and_says_what_is_left() -> None:
    clock = Clock()
    pipeline = Pipeline(pending={DocumentStatus.RECEIVED: 5}, stuck={"extract"})
    said: list[str] = []
    stop_in_flow_order(pipeline, drain(pipeline, SecondCtrlC(clock), said, timeout=10))

    assert clock.now == pytest.approx(10)
    assert "5 document(s) still received after 10 s" in said
    assert pipeline.stops == [list(step.services) for step in FLOW_ORDER]


def test_a_second_ctrl_c_stops_the_rest_at_once() -> None:
    clock = Clock()
    pipeline = Pipeline(pending={DocumentStatus.RECEIVED: 5}, stuck={"extract"})
    said: list[str] = []
    stop_in_flow_order(pipeline, drain(pipeline, SecondCtrlC(clock, after=2), said, timeout=30))

    assert clock.now < 30
    rest = [name for step in FLOW_ORDER[2:] for name in step.services]
    assert pipeline.stops == [["reconciler"], ["ingest"], rest]
    assert "stopping the rest at once" in said


def test_no_wait_when_nobody_would_take_the_documents_or_record_it() -> None:
    clock = Clock()
    pipeline = Pipeline(pending={DocumentStatus.RECEIVED: 3, DocumentStatus.EXTRACTED: 3})
    pipeline.running_names -= {"extract", "tracker"}
    said: list[str] = []
    stop_in_flow_order(pipeline, drain(pipeline, SecondCtrlC(clock), said, timeout=30))

    assert clock.now == 0
    assert "extract is not running; not waiting for the received documents" in said
    assert "tracker is not running; not waiting for the extracted documents" in said


def test_nothing_in_flight_means_no_waiting_and_no_noise() -> None:
    clock = Clock()
    pipeline = Pipeline()
    said: list[str] = []
    stop_in_flow_order(pipeline, drain(pipeline, SecondCtrlC(clock), said, timeout=30))
    assert clock.now == 0
    assert not [line for line in said if "waiting" in line]


def test_in_flight_counts_every_tenant_and_only_what_the_broker_can_still_hold(
    repository: SqliteRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutdown, "MAX_PAGE_LIMIT", 2)  # so that counting reads several pages
    broker_started = T0 + timedelta(hours=1)
    before, after = broker_started - timedelta(minutes=1), broker_started + timedelta(seconds=1)
    for _ in range(5):
        repository.create(new_document("a", created_at=after))
    repository.create(new_document("b", created_at=after))
    repository.create(new_document("b", created_at=before))
    extracted, _ = repository.create(new_document("c", created_at=after))
    event(repository, extracted, DocumentStatus.EXTRACTED, at=after)
    review, _ = repository.create(new_document("c", created_at=after))
    event(repository, review, DocumentStatus.NEEDS_REVIEW, at=after)

    count = InFlight(repository, ["a", "b", "c"], lambda: broker_started)
    assert count(DocumentStatus.RECEIVED) == 6
    assert count(DocumentStatus.EXTRACTED) == 1
    assert count(DocumentStatus.VALIDATED) == 0
    assert InFlight(repository, ["b"], lambda: before)(DocumentStatus.RECEIVED) == 2
