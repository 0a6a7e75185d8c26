"""OffsetTracker: the committed offset only moves past offsets that are finished."""

import random

import pytest

from docflow_runtime.offsets import OffsetTracker, Partition

P0: Partition = ("docflow.document.received", 0)
P1: Partition = ("docflow.document.received", 1)


def tracked(tracker: OffsetTracker, partition: Partition, offsets: range) -> int:
    """Track ``offsets`` of ``partition``; returns the generation the completions quote."""
    generations = {tracker.track(partition, offset) for offset in offsets}
    assert len(generations) == 1
    return generations.pop()


def test_nothing_is_committable_before_anything_finishes() -> None:
    tracker = OffsetTracker()
    tracked(tracker, P0, range(3))
    assert tracker.committable(P0) is None
    assert tracker.take_committable() == {}


def test_unknown_partition_has_no_commit_position_and_nothing_pending() -> None:
    tracker = OffsetTracker()
    assert tracker.committable(P0) is None
    assert tracker.pending(P0) == 0
    assert tracker.pending() == 0
    assert tracker.partitions() == []


def test_in_order_finishing_advances_the_commit_to_last_plus_one() -> None:
    tracker = OffsetTracker()
    generation = tracked(tracker, P0, range(10, 15))
    for offset in range(10, 15):
        assert tracker.finish(P0, offset, generation) is True
        assert tracker.committable(P0) == offset + 1
    assert tracker.take_committable() == {P0: 15}
    assert tracker.pending(P0) == 0


def test_out_of_order_finishing_holds_the_commit_at_the_first_unfinished() -> None:
    tracker = OffsetTracker()
    generation = tracked(tracker, P0, range(4))
    assert tracker.finish(P0, 3, generation)
    assert tracker.committable(P0) is None
    assert tracker.take_committable() == {}
    assert tracker.finish(P0, 0, generation)
    assert tracker.committable(P0) == 1
    assert tracker.finish(P0, 2, generation)
    assert tracker.committable(P0) == 1, "offset 1 is still unfinished"
    assert tracker.finish(P0, 1, generation)
    assert tracker.committable(P0) == 4


def test_gaps_in_fetched_offsets_do_not_hold_the_commit() -> None:
    # Compacted topics and transaction markers leave holes in the offsets a consumer sees.
    tracker = OffsetTracker()
    generation = tracker.track(P0, 5)
    tracker.track(P0, 9)
    assert tracker.finish(P0, 9, generation)
    assert tracker.committable(P0) is None
    assert tracker.finish(P0, 5, generation)
    assert tracker.committable(P0) == 10


def test_take_committable_returns_only_moved_partitions_and_only_once() -> None:
    tracker = OffsetTracker()
    g0 = tracked(tracker, P0, range(3))
    g1 = tracked(tracker, P1, range(3))
    tracker.finish(P0, 0, g0)
    assert tracker.take_committable() == {P0: 1}
    assert tracker.take_committable() == {}, "nothing moved since the last call"
    tracker.finish(P1, 1, g1)  # offset 0 of P1 is still unfinished
    assert tracker.take_committable() == {}
    tracker.finish(P1, 0, g1)
    tracker.finish(P0, 1, g0)
    assert tracker.take_committable() == {P0: 2, P1: 2}
    assert tracker.take_committable() == {}


def test_take_committable_reports_the_latest_position_after_several_moves() -> None:
    tracker = OffsetTracker()
    generation = tracked(tracker, P0, range(5))
    for offset in range(5):
        tracker.finish(P0, offset, generation)
    assert tracker.take_committable() == {P0: 5}


def test_completion_of_a_dropped_partition_is_ignored() -> None:
    tracker = OffsetTracker()
    generation = tracked(tracker, P0, range(3))
    tracker.drop(P0)
    assert tracker.finish(P0, 0, generation) is False
    assert tracker.committable(P0) is None
    assert tracker.take_committable() == {}
    assert P0 not in tracker.partitions()


def test_completion_from_an_old_generation_is_ignored_after_reassignment() -> None:
    tracker = OffsetTracker()
    old = tracked(tracker, P0, range(3))
    tracker.drop(P0)
    new = tracker.assign(P0)
    assert new != old
    assert tracker.generation(P0) == new
    assert tracker.track(P0, 0) == new
    assert tracker.finish(P0, 0, old) is False
    assert tracker.committable(P0) is None
    assert tracker.pending(P0) == 1
    assert tracker.finish(P0, 0, new) is True
    assert tracker.committable(P0) == 1


def test_assign_without_drop_starts_a_fresh_generation() -> None:
    tracker = OffsetTracker()
    old = tracked(tracker, P0, range(2))
    tracker.finish(P0, 0, old)
    new = tracker.assign(P0)
    assert new != old
    assert tracker.pending(P0) == 0
    assert tracker.committable(P0) is None
    assert tracker.finish(P0, 1, old) is False
    assert tracker.take_committable() == {}


def test_generations_are_distinct_across_partitions_and_reassignments() -> None:
    tracker = OffsetTracker()
    seen = [tracker.assign(P0), tracker.assign(P1), tracker.assign(P0), tracker.assign(P1)]
    assert len(set(seen)) == len(seen)


def test_drop_of_one_partition_leaves_the_others_alone() -> None:
    tracker = OffsetTracker()
    g0 = tracked(tracker, P0, range(2))
    g1 = tracked(tracker, P1, range(2))
    tracker.drop(P0)
    assert tracker.finish(P1, 0, g1) is True
    assert tracker.finish(P0, 0, g0) is False
    assert tracker.take_committable() == {P1: 1}
    assert tracker.partitions() == [P1]


def test_drop_of_an_unknown_partition_is_harmless() -> None:
    tracker = OffsetTracker()
    tracker.drop(P0)
    assert tracker.partitions() == []


def test_pending_counts_per_partition_and_in_total() -> None:
    tracker = OffsetTracker()
    g0 = tracked(tracker, P0, range(4))
    tracked(tracker, P1, range(100, 103))
    assert (tracker.pending(P0), tracker.pending(P1), tracker.pending()) == (4, 3, 7)
    tracker.finish(P0, 0, g0)
    assert (tracker.pending(P0), tracker.pending()) == (3, 6)
    # A finished offset behind an unfinished one is still held, so still pending.
    tracker.finish(P0, 3, g0)
    assert (tracker.pending(P0), tracker.pending()) == (3, 6)
    tracker.drop(P1)
    assert (tracker.pending(P1), tracker.pending()) == (0, 3)


@pytest.mark.parametrize("seed", range(20))
def test_commit_is_always_the_smallest_unfinished_offset(seed: int) -> None:
    rng = random.Random(seed)
    first = rng.randrange(0, 10_000)
    offsets = list(range(first, first + 200))
    tracker = OffsetTracker()
    generation = tracked(tracker, P0, range(first, first + 200))
    order = offsets[:]
    rng.shuffle(order)
    unfinished = set(offsets)
    last_taken: int | None = None
    for offset in order:
        assert tracker.finish(P0, offset, generation) is True
        unfinished.discard(offset)
        expected = min(unfinished) if unfinished else first + 200
        committable = tracker.committable(P0)
        if expected == first:
            assert committable is None, f"offset {first} is unfinished"
        else:
            assert committable == expected
        taken = tracker.take_committable().get(P0)
        if committable is not None and committable != last_taken:
            assert taken == committable
            last_taken = committable
        else:
            assert taken is None, "an unmoved partition must not be reported again"
        assert tracker.pending(P0) == len(offsets) - (expected - first)
    assert tracker.committable(P0) == first + 200
    assert tracker.pending() == 0


@pytest.mark.parametrize("seed", range(5))
def test_interleaved_partitions_commit_independently(seed: int) -> None:
    rng = random.Random(seed)
    tracker = OffsetTracker()
    generations = {p: tracked(tracker, p, range(50)) for p in (P0, P1)}
    work = [(p, o) for p in (P0, P1) for o in range(50)]
    rng.shuffle(work)
    unfinished = {P0: set(range(50)), P1: set(range(50))}
    for partition, offset in work:
        tracker.finish(partition, offset, generations[partition])
        unfinished[partition].discard(offset)
        for p, left in unfinished.items():
            expected = min(left) if left else 50
            assert tracker.committable(p) == (None if expected == 0 else expected)
    assert tracker.take_committable() == {P0: 50, P1: 50}


def test_unfinished_counts_what_is_not_done_even_when_held_behind_a_slow_head() -> None:
    tracker = OffsetTracker()
    generation = 0
    for offset in range(4):
        generation = tracker.track(P0, offset)
    tracker.finish(P0, 2, generation)
    tracker.finish(P0, 3, generation)
    assert tracker.pending(P0) == 4  # held: nothing is committable yet
    assert tracker.unfinished() == 2  # but only offsets 0 and 1 still run


def test_oldest_timestamp_is_that_of_the_oldest_unfinished_event() -> None:
    tracker = OffsetTracker()
    generation = tracker.track(P0, 0, 100.0)
    tracker.track(P0, 1, 105.0)
    tracker.track(P1, 7, 103.0)
    assert tracker.oldest_timestamp() == 100.0
    tracker.finish(P0, 0, generation)
    assert tracker.oldest_timestamp() == 103.0
    tracker.drop(P1)
    assert tracker.oldest_timestamp() == 105.0
    assert OffsetTracker().oldest_timestamp() is None
