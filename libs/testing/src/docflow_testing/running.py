"""A worker on a thread of the test's process, stopped and checked when the block ends."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from docflow_runtime.worker import Worker

STOP_TIMEOUT = 60.0


@contextmanager
def running(worker: Worker) -> Iterator[Worker]:
    """Run ``worker`` for the block; after it, fail if it did not stop or if it raised."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            worker.run()
        except BaseException as exc:  # reported by the test that owns the worker
            failures.append(exc)

    thread = threading.Thread(target=run, name=f"test-{worker.name}", daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop()
        thread.join(timeout=STOP_TIMEOUT)
        assert not thread.is_alive(), f"worker did not stop within {STOP_TIMEOUT:.0f} s"
    assert not failures, f"worker failed: {failures}"
