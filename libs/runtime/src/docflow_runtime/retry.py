"""Exponential backoff with jitter, bounded."""

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial: float
    maximum: float
    max_attempts: int

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based).

        Half fixed, half random ("equal jitter"): the wait still grows with every attempt, and
        the retries of many workers hit by one outage spread out instead of arriving together.
        """
        # The exponent is capped first: 2 ** 1100 does not fit in a float.
        ceiling = min(self.maximum, self.initial * 2 ** min(attempt - 1, 64))
        return float(ceiling / 2 + random.uniform(0, ceiling / 2))  # noqa: S311 - jitter, not crypto

    def exhausted(self, attempt: int) -> bool:
        return attempt >= self.max_attempts
