"""One ``make run`` per state directory.

A second ``make run`` started while the first still runs, or is still draining its stages
after Ctrl-C, would find the first one's broker answering and use it, then start services on
health ports the first one's still hold; those crash until given up on, and the first run's
broker stops under the second. The lock is an advisory ``flock`` on a file in the state
directory: the kernel releases it when the holder exits, however it exits, so a crashed run
leaves nothing to clean up.
"""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunningElsewhereError(RuntimeError):
    """Another ``make run`` holds the lock: it is running, or still stopping."""


@contextmanager
def only_run(path: Path) -> Iterator[None]:
    """Hold the lock at ``path`` (its file says the holder's pid) for the ``with`` block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunningElsewhereError(
                f"another make run (pid {holder}) is running here, or still stopping: wait for "
                f"it to exit ({path} is its lock)"
            ) from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
