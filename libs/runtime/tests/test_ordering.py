"""KeyedQueue: one event of a key at a time, in fetch order; events without a key are free."""

import queue
import random
import sys
import threading
from collections.abc import Iterator

import pytest

from docflow_runtime.ordering import KeyedQueue


def test_first_item_of_a_key_starts_at_once() -> None:
    keys: KeyedQueue[str] = KeyedQueue()
    assert keys.admit(b"doc-1", "a") is True
    assert len(keys) == 1


def test_items_of_one_key_wait_and_start_in_fifo_order() -> None:
    keys: KeyedQueue[str] = KeyedQueue()
    assert keys.admit(b"doc-1", "a") is True
    assert keys.admit(b"doc-1", "b") is False
    assert keys.admit(b"doc-1", "c") is False
    assert keys.release(b"doc-1") == "b"
    assert keys.release(b"doc-1") == "c"
    assert keys.release(b"doc-1") is None
    assert len(keys) == 0


def test_different_keys_run_concurrently() -> None:
    keys: KeyedQueue[str] = KeyedQueue()
    assert keys.admit(b"doc-1", "a1") is True
    assert keys.admit(b"doc-2", "b1") is True
    assert keys.admit(b"doc-1", "a2") is False
    assert keys.admit(b"doc-3", "c1") is True
    assert len(keys) == 3
    assert keys.release(b"doc-2") is None
    assert keys.release(b"doc-1") == "a2"
    assert len(keys) == 2


def test_items_without_a_key_are_always_admitted_and_not_tracked() -> None:
    keys: KeyedQueue[int] = KeyedQueue()
    assert all(keys.admit(None, i) for i in range(5))
    assert len(keys) == 0
    assert keys.release(None) is None
    assert len(keys) == 0


def test_a_key_item_waiting_does_not_block_unkeyed_items() -> None:
    keys: KeyedQueue[str] = KeyedQueue()
    keys.admit(b"doc-1", "a")
    keys.admit(b"doc-1", "b")
    assert keys.admit(None, "free") is True


def test_release_of_the_last_item_removes_the_key() -> None:
    keys: KeyedQueue[str] = KeyedQueue()
    keys.admit(b"doc-1", "a")
    keys.admit(b"doc-1", "b")
    assert len(keys) == 1
    assert keys.release(b"doc-1") == "b"
    assert len(keys) == 1, "b is running, so the key is still held"
    assert keys.release(b"doc-1") is None
    assert len(keys) == 0
    assert keys.admit(b"doc-1", "c") is True, "a freed key starts its next item at once"


def test_empty_key_is_a_key_not_the_absence_of_one() -> None:
    keys: KeyedQueue[str] = KeyedQueue()
    assert keys.admit(b"", "a") is True
    assert keys.admit(b"", "b") is False
    assert len(keys) == 1


def test_release_of_a_key_that_holds_nothing_is_an_error() -> None:
    keys: KeyedQueue[str] = KeyedQueue()
    with pytest.raises(KeyError):
        keys.release(b"never-admitted")


@pytest.fixture
def _frequent_thread_switches() -> Iterator[None]:
    """Switch threads every microsecond, so races show up within a few thousand items."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("_frequent_thread_switches")
def test_concurrent_admit_and_release_never_run_two_items_of_one_key() -> None:
    """8 threads admit items of a few shared keys and run whatever may start, like the worker.

    A runnable item goes to a shared queue that every thread takes work from; finishing an
    item releases its key, and the item that may follow is queued in turn. Per key, items
    must run one at a time, each exactly once, in admission order.
    """
    threads_count, per_thread = 8, 400
    total = threads_count * per_thread
    keys: KeyedQueue[tuple[bytes, int]] = KeyedQueue()
    runnable: queue.SimpleQueue[tuple[bytes, int]] = queue.SimpleQueue()
    guard = threading.Lock()
    running: set[bytes] = set()
    admitted: dict[bytes, list[int]] = {}
    ran: dict[bytes, list[int]] = {}
    violations: list[str] = []
    errors: list[BaseException] = []
    all_done = threading.Event()
    key_names = [f"doc-{i}".encode() for i in range(4)]
    start = threading.Barrier(threads_count)

    def execute(item: tuple[bytes, int]) -> None:
        key, number = item
        with guard:
            if key in running:
                violations.append(f"{key!r} item {number} started while another ran")
            running.add(key)
            ran.setdefault(key, []).append(number)
        # "Work": give the other threads a chance to start something while this item runs.
        sum(range(200))
        with guard:
            running.discard(key)
        following = keys.release(key)
        if following is not None:
            runnable.put(following)
        with guard:
            if sum(len(v) for v in ran.values()) >= total:
                all_done.set()

    def run_ready() -> None:
        while True:
            try:
                item = runnable.get_nowait()
            except queue.Empty:
                return
            execute(item)

    def worker(seed: int) -> None:
        try:
            rng = random.Random(seed)
            start.wait(timeout=10)
            for i in range(per_thread):
                key = rng.choice(key_names)
                item = (key, seed * per_thread + i)
                # Admission and its record must be atomic to know the expected FIFO order.
                with guard:
                    admitted.setdefault(key, []).append(item[1])
                    now = keys.admit(key, item)
                if now:
                    runnable.put(item)
                if rng.random() < 0.5:
                    run_ready()
            while not all_done.is_set():
                try:
                    execute(runnable.get(timeout=0.05))
                except queue.Empty:
                    continue
        except BaseException as exc:
            errors.append(exc)
            all_done.set()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert violations == []
    assert sum(len(v) for v in ran.values()) == total, "every item ran exactly once"
    assert ran == admitted, "per key, items ran in admission order"
    assert len(keys) == 0, "every key was released"
    assert runnable.empty()
