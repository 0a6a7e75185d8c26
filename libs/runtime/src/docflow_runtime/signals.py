"""SIGTERM (Kubernetes, ``make run``) and SIGINT (Ctrl-C) both ask a service to stop."""

import signal
import threading
from collections.abc import Callable
from types import FrameType

Handler = Callable[[int, FrameType | None], None]


def on_stop_signals(handler: Handler) -> None:
    """Call ``handler`` on SIGTERM and SIGINT; only the main thread may install handlers (a
    service run on a test's thread is stopped by the test instead)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handler)
