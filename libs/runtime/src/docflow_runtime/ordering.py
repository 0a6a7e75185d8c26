"""Per-key order: at most one event of a key is handled at a time, in fetch order.

The key is the document id, so the events of one document never overtake each other even
when many documents are handled at once. Events without a key have no order to keep.
"""

import threading
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class KeyedQueue(Generic[T]):
    """Thread-safe: the loop admits items, handler threads release keys."""

    def __init__(self) -> None:
        self._waiting: dict[bytes, deque[T]] = {}
        self._lock = threading.Lock()

    def admit(self, key: bytes | None, item: T) -> bool:
        """True when ``item`` may start now; otherwise it waits behind its key."""
        if key is None:
            return True
        with self._lock:
            queue = self._waiting.get(key)
            if queue is None:
                self._waiting[key] = deque()
                return True
            queue.append(item)
            return False

    def release(self, key: bytes | None) -> T | None:
        """The key's current item is done: the next one for that key, if any, may start."""
        if key is None:
            return None
        with self._lock:
            queue = self._waiting[key]
            if queue:
                return queue.popleft()
            del self._waiting[key]
            return None

    def __len__(self) -> int:
        with self._lock:
            return len(self._waiting)
