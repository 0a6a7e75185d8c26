"""Which offset of each partition is safe to commit.

Events of one partition finish out of order when handled concurrently; the committed offset
may only move to the first offset that is not finished yet, so a crash never skips work.
"""

from collections import deque
from dataclasses import dataclass, field

Partition = tuple[str, int]


@dataclass
class _PartitionState:
    generation: int
    offsets: deque[int] = field(default_factory=deque)
    finished: set[int] = field(default_factory=set)
    #: When each held message was produced, for the age of the oldest unfinished one.
    stamps: dict[int, float] = field(default_factory=dict)
    next_commit: int | None = None
    dirty: bool = False


class OffsetTracker:
    """Offsets fetched and finished per partition. Used from one thread only.

    A partition's state is dropped when the partition is revoked or lost; its *generation*
    tells a late completion from that time apart from one of a later assignment.
    """

    def __init__(self) -> None:
        self._partitions: dict[Partition, _PartitionState] = {}
        self._generations = 0

    def assign(self, partition: Partition) -> int:
        self._generations += 1
        self._partitions[partition] = _PartitionState(generation=self._generations)
        return self._generations

    def generation(self, partition: Partition) -> int:
        state = self._partitions.get(partition)
        return state.generation if state else self.assign(partition)

    def track(self, partition: Partition, offset: int, timestamp: float | None = None) -> int:
        """Record a fetched offset; returns the generation the completion must quote."""
        self.generation(partition)
        state = self._partitions[partition]
        state.offsets.append(offset)
        if timestamp is not None:
            state.stamps[offset] = timestamp
        return state.generation

    def finish(self, partition: Partition, offset: int, generation: int) -> bool:
        """Mark an offset finished; False when it belongs to a dropped assignment."""
        state = self._partitions.get(partition)
        if state is None or state.generation != generation:
            return False
        state.finished.add(offset)
        while state.offsets and state.offsets[0] in state.finished:
            done = state.offsets.popleft()
            state.finished.discard(done)
            state.stamps.pop(done, None)
            state.next_commit, state.dirty = done + 1, True
        return True

    def take_committable(self) -> dict[Partition, int]:
        """Offsets (next to read) that moved since the last call."""
        moved = {p: s.next_commit for p, s in self._partitions.items() if s.dirty}
        for partition in moved:
            self._partitions[partition].dirty = False
        return {p: o for p, o in moved.items() if o is not None}

    def committable(self, partition: Partition) -> int | None:
        state = self._partitions.get(partition)
        return state.next_commit if state else None

    def pending(self, partition: Partition | None = None) -> int:
        """Fetched but unfinished events, of one partition or of all."""
        states = [self._partitions.get(partition)] if partition else self._partitions.values()
        return sum(len(s.offsets) for s in states if s)

    def unfinished(self) -> int:
        """Fetched events not finished yet, over all partitions."""
        return sum(len(s.offsets) - len(s.finished) for s in self._partitions.values())

    def oldest_timestamp(self) -> float | None:
        """When the oldest unfinished event was produced (the head of a partition is always
        unfinished: finished heads are popped at once)."""
        heads = [s.stamps.get(s.offsets[0]) for s in self._partitions.values() if s.offsets]
        known = [stamp for stamp in heads if stamp is not None]
        return min(known) if known else None

    def drop(self, partition: Partition) -> None:
        self._partitions.pop(partition, None)

    def partitions(self) -> list[Partition]:
        return list(self._partitions)
