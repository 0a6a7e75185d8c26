"""Test double: an in-memory publisher."""

from typing import Any

from docflow_events import Envelope
from docflow_ingest.core.publisher import Publisher, PublishError


class MemoryPublisher(Publisher):
    """Keeps what it was given; ``refuse`` makes it behave like an unreachable broker."""

    def __init__(self) -> None:
        self.published: list[Envelope[Any]] = []
        self.refuse = False
        self.closed = False

    async def publish(self, envelope: Envelope[Any]) -> None:
        if self.refuse:
            raise PublishError("the broker did not acknowledge the event in time")
        self.published.append(envelope)

    def reachable(self, timeout: float) -> tuple[bool, str]:
        return (not self.refuse, "refusing" if self.refuse else "a broker answered")

    def close(self) -> None:
        self.closed = True
