"""Processes a test started: whether one is still there."""

import os


def process_exists(pid: int) -> bool:
    """True for a running process and for an unreaped zombie alike."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
