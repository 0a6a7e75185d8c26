"""How many wrong API keys one address may try on the review page's sign-in.

After ``failures`` failed sign-ins within ``window`` seconds, further attempts from that address
are refused (without testing the key) until the oldest of them is older than the window. Only
failures count: a reviewer who signs in well is never slowed.

Memory is bounded: at most ``clients`` addresses are remembered, the one that failed least
recently forgotten first, each with at most ``failures`` times. IPv6 clients are counted per
/64, the block one subscriber is given, so that walking through one's own addresses does not
start the count again. Each process counts its own; the routes run on its event loop, so no
lock is needed.
"""

import ipaddress
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Final

UNKNOWN_CLIENT: Final = "unknown"
_IPV6_BLOCK: Final = 64


def client_key(address: str | None) -> str:
    """What failures are counted against: the address, or its /64 for IPv6."""
    if address is None:
        return UNKNOWN_CLIENT
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, _IPV6_BLOCK), strict=False))
    return str(ip)


class SignInLimit:
    """Failed sign-ins per client address over a sliding window."""

    def __init__(
        self,
        *,
        failures: int,
        window_seconds: float,
        clients: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._failures = failures
        self._window = window_seconds
        self._clients = clients
        self._clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, address: str | None) -> int | None:
        """Whole seconds until ``address`` may try again; None when it may now."""
        times = self._recent(client_key(address))
        if len(times) < self._failures:
            return None
        return max(1, math.ceil(times[0] + self._window - self._clock()))

    def failed(self, address: str | None) -> None:
        key = client_key(address)
        times = self._recent(key)
        times.append(self._clock())
        self._seen[key] = times
        self._seen.move_to_end(key)
        while len(self._seen) > self._clients:
            self._seen.popitem(last=False)

    def __len__(self) -> int:
        """How many addresses are remembered."""
        return len(self._seen)

    def _recent(self, key: str) -> deque[float]:
        """``key``'s failures within the window (an empty deque when none)."""
        times = self._seen.get(key)
        if times is None:
            return deque(maxlen=self._failures)
        horizon = self._clock() - self._window
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del self._seen[key]
        return times
