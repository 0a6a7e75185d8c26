"""W3C Trace Context ``traceparent`` values, carried as a CloudEvents extension."""

import re
import secrets

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def new_traceparent() -> str:
    """Start a new sampled trace."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


def is_valid(value: str) -> bool:
    match = _TRACEPARENT.match(value)
    if match is None:
        return False
    return set(match.group(1)) != {"0"} and set(match.group(2)) != {"0"}


def trace_id(value: str | None) -> str | None:
    """The trace id of a traceparent, or None when it is absent or malformed."""
    if value is None or not is_valid(value):
        return None
    return value[3:35]


def child_of(parent: str | None) -> str:
    """A traceparent for work caused by ``parent``: same trace, new span (a new trace if none)."""
    tid = trace_id(parent)
    if tid is None or parent is None:
        return new_traceparent()
    return f"00-{tid}-{secrets.token_hex(8)}-{parent[-2:]}"
