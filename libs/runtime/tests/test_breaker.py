"""The circuit breaker: opens when many events fail, probes after a cool-down, closes again."""

import threading

import pytest

from docflow_runtime.breaker import Admission, CircuitBreaker

NEVER = threading.Event()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(
        window=10, min_failures=3, failure_ratio=0.5, cooldown_seconds=5.0, clock=clock
    )


def fail(breaker: CircuitBreaker, *events: str) -> None:
    for event in events:
        breaker.record(event, failed=True, admission=Admission.NORMAL)


def probe(breaker: CircuitBreaker, clock: Clock, *, failed: bool) -> None:
    """Open the breaker, wait out its cool-down, and report the probe's outcome."""
    fail(breaker, "a", "b", "c")
    clock.now += 5.0
    admission = breaker.admit(NEVER)
    assert admission is Admission.PROBE
    breaker.record("a", failed=failed, admission=admission)


def test_a_closed_breaker_admits_every_attempt(breaker: CircuitBreaker) -> None:
    assert breaker.admit(NEVER) is Admission.NORMAL
    fail(breaker, "a", "b")
    assert not breaker.is_open
    assert breaker.admit(NEVER) is Admission.NORMAL


def test_one_event_failing_again_and_again_never_opens_it(breaker: CircuitBreaker) -> None:
    fail(breaker, *["poison"] * 20)
    assert not breaker.is_open


def test_it_opens_when_enough_different_events_fail(breaker: CircuitBreaker) -> None:
    breaker.record("ok", failed=False, admission=Admission.NORMAL)
    fail(breaker, "a", "b", "c")
    assert breaker.is_open


def test_a_low_share_of_failures_keeps_it_closed(breaker: CircuitBreaker) -> None:
    for number in range(7):
        breaker.record(f"ok-{number}", failed=False, admission=Admission.NORMAL)
    fail(breaker, "a", "b", "c")  # 3 of 10
    assert not breaker.is_open


def test_an_event_that_recovers_no_longer_counts(breaker: CircuitBreaker) -> None:
    fail(breaker, "a", "b")
    breaker.record("a", failed=False, admission=Admission.NORMAL)
    fail(breaker, "c")
    assert not breaker.is_open


def test_while_open_attempts_wait_then_one_probe_goes(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, "a", "b", "c")
    aborted = threading.Event()
    aborted.set()
    assert breaker.admit(aborted) is None, "a waiting attempt gives up when aborted"
    clock.now += 5.0
    assert breaker.admit(NEVER) is Admission.PROBE
    assert breaker.admit(aborted) is None, "one probe at a time"


def test_a_failed_probe_keeps_it_open_for_another_cool_down(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    probe(breaker, clock, failed=True)
    assert breaker.is_open
    aborted = threading.Event()
    aborted.set()
    clock.now += 4.0
    assert breaker.admit(aborted) is None
    clock.now += 1.0
    assert breaker.admit(NEVER) is Admission.PROBE


def test_a_successful_probe_closes_it_and_forgets_the_failures(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    probe(breaker, clock, failed=False)
    assert not breaker.is_open
    fail(breaker, "d", "e")
    assert not breaker.is_open


def test_waiting_attempts_go_on_when_the_probe_succeeds(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, "a", "b", "c")
    clock.now += 5.0
    probe = breaker.admit(NEVER)
    admitted: list[Admission | None] = []
    waiter = threading.Thread(target=lambda: admitted.append(breaker.admit(NEVER)))
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive(), "it waits while the probe runs"
    breaker.record("a", failed=False, admission=probe or Admission.NORMAL)
    waiter.join(2.0)
    assert admitted == [Admission.NORMAL]
