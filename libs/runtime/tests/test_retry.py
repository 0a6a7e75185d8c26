"""Backoff: exponential ceilings, equal jitter below them, a cap and a bounded number of tries."""

import random

import pytest

from docflow_runtime.retry import Backoff


def ceiling(backoff: Backoff, attempt: int) -> float:
    return float(min(backoff.maximum, backoff.initial * 2 ** (attempt - 1)))


@pytest.mark.parametrize("attempt", range(1, 12))
def test_delay_lies_between_half_the_ceiling_and_the_ceiling(attempt: int) -> None:
    backoff = Backoff(initial=0.5, maximum=30.0, max_attempts=12)
    top = ceiling(backoff, attempt)
    delays = [backoff.delay(attempt) for _ in range(200)]
    assert all(top / 2 <= d <= top for d in delays), (top, min(delays), max(delays))


@pytest.mark.parametrize(
    ("attempt", "expected_ceiling"),
    [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (6, 16.0), (7, 30.0), (9, 30.0)],
)
def test_ceilings_double_until_the_maximum(
    monkeypatch: pytest.MonkeyPatch, attempt: int, expected_ceiling: float
) -> None:
    backoff = Backoff(initial=0.5, maximum=30.0, max_attempts=10)
    # With the random half at its extremes, the delay is exactly half or all of the ceiling.
    monkeypatch.setattr(random, "uniform", lambda low, high: low)
    assert backoff.delay(attempt) == expected_ceiling / 2
    monkeypatch.setattr(random, "uniform", lambda low, high: high)
    assert backoff.delay(attempt) == expected_ceiling


def test_jitter_is_drawn_over_the_upper_half_of_the_ceiling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        calls.append((low, high))
        return high / 3

    monkeypatch.setattr(random, "uniform", uniform)
    backoff = Backoff(initial=2.0, maximum=30.0, max_attempts=5)
    assert backoff.delay(2) == pytest.approx(2.0 + 2.0 / 3)
    assert calls == [(0, 2.0)]


def test_delays_grow_from_attempt_to_attempt_until_capped() -> None:
    backoff = Backoff(initial=0.1, maximum=5.0, max_attempts=20)
    # Equal jitter: the lowest delay of attempt n+1 is the highest of attempt n (until the cap),
    # so even the unluckiest draw never waits less than the attempt before it.
    for attempt in range(1, 6):
        assert max(backoff.delay(attempt) for _ in range(50)) <= min(
            backoff.delay(attempt + 1) for _ in range(50)
        )


def test_delay_never_exceeds_the_maximum() -> None:
    backoff = Backoff(initial=1.0, maximum=8.0, max_attempts=100)
    assert all(4.0 <= backoff.delay(attempt) <= 8.0 for attempt in range(4, 60))


def test_delays_are_jittered() -> None:
    backoff = Backoff(initial=1.0, maximum=60.0, max_attempts=5)
    assert len({backoff.delay(3) for _ in range(20)}) > 1, "retries of many workers must spread"


def test_delay_is_a_float() -> None:
    backoff = Backoff(initial=1, maximum=10, max_attempts=3)
    assert isinstance(backoff.delay(1), float)


def test_delay_stays_capped_for_very_many_attempts() -> None:
    backoff = Backoff(initial=0.5, maximum=30.0, max_attempts=10_000)
    assert 15.0 <= backoff.delay(1100) <= 30.0


@pytest.mark.parametrize(
    ("max_attempts", "attempt", "exhausted"),
    [(1, 1, True), (3, 1, False), (3, 2, False), (3, 3, True), (3, 4, True), (5, 4, False)],
)
def test_exhausted_once_max_attempts_were_made(
    max_attempts: int, attempt: int, exhausted: bool
) -> None:
    backoff = Backoff(initial=0.5, maximum=30.0, max_attempts=max_attempts)
    assert backoff.exhausted(attempt) is exhausted


def test_backoff_is_immutable() -> None:
    backoff = Backoff(initial=0.5, maximum=30.0, max_attempts=5)
    with pytest.raises(AttributeError):
        backoff.max_attempts = 10  # type: ignore[misc]
