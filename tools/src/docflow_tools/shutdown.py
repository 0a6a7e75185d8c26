"""Stopping ``make run`` without losing documents between stages.

The local broker keeps events in memory only, so what a stopped stage handed on is lost
unless the next stage takes it before the broker stops. Services therefore stop in flow
order, ingest first, and each step waits (bounded) until the next stage has taken what the
stopped ones handed on. The tracker's results store tells: a document the next stage has not
finished still has the status the stopped stage gave it. Documents waiting for review wait
for a person, not a stage, and never hold the shutdown.
"""

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from docflow_events.topics import StageName
from docflow_results.factory import open_repository
from docflow_results.models import DocumentStatus
from docflow_results.repository import MAX_PAGE_LIMIT, Repository
from docflow_results.settings import ResultsSettings
from docflow_tools.services import INGEST, RECONCILER

_POLL_SECONDS: Final = 0.5


@dataclass(frozen=True)
class Step:
    """Stop ``services`` together; then, if ``drain`` is set, wait until ``drained_by`` has
    taken every document left in status ``drain``."""

    services: tuple[str, ...]
    drain: DocumentStatus | None = None
    drained_by: str | None = None


#: The tracker records every status the drains read, so it stops last.
FLOW_ORDER: Final = (
    # First: a re-drive published while the flow drains would only lengthen the drain.
    Step((RECONCILER,)),
    Step((INGEST,), DocumentStatus.RECEIVED, StageName.EXTRACT),
    Step((StageName.EXTRACT,), DocumentStatus.EXTRACTED, StageName.VALIDATE),
    Step((StageName.VALIDATE,), DocumentStatus.VALIDATED, StageName.ENRICH),
    Step((StageName.ENRICH,), DocumentStatus.ENRICHED, StageName.STORE),
    Step((StageName.STORE,)),
    Step((StageName.NOTIFY,)),
    Step((StageName.TRACKER,)),
)


class Services(Protocol):
    """What stopping needs of the supervisor."""

    def running(self, name: str) -> bool: ...

    def stop(self, names: Sequence[str]) -> None: ...


class Interrupt(Protocol):
    """Set by a second Ctrl-C (``threading.Event`` has it)."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float) -> bool: ...


@dataclass(frozen=True)
class Drain:
    """Bounded waits for the next stage to take what a stopped stage handed on.

    ``pending`` counts the documents in a status; ``tick`` keeps supervising while waiting;
    ``interrupt`` ends every wait at once.
    """

    pending: Callable[[DocumentStatus], int]
    timeout: float
    interrupt: Interrupt
    tick: Callable[[], None]
    say: Callable[[str], None]
    clock: Callable[[], float] = time.monotonic

    def wait(self, status: DocumentStatus, taker: str) -> bool:
        """Whether ``taker`` took every ``status`` document within the timeout."""
        count = self.pending(status)
        if not count:
            return True
        self.say(
            f"waiting up to {self.timeout:g} s for {taker} to take {count} {status} "
            "document(s) (Ctrl-C again stops at once)"
        )
        deadline = self.clock() + self.timeout
        while count:
            if self.clock() >= deadline:
                self.say(f"{count} document(s) still {status} after {self.timeout:g} s")
                return False
            if self.interrupt.wait(_POLL_SECONDS):
                return False
            self.tick()
            count = self.pending(status)
        self.say(f"{taker} took them")
        return True


def stop_in_flow_order(services: Services, drain: Drain) -> None:
    """Stop every service of ``FLOW_ORDER`` step by step; after a second Ctrl-C, the rest at
    once."""
    for index, step in enumerate(FLOW_ORDER):
        if drain.interrupt.is_set():
            drain.say("stopping the rest at once")
            services.stop([name for later in FLOW_ORDER[index:] for name in later.services])
            return
        drain.say(f"stopping {', '.join(step.services)}")
        services.stop(step.services)
        if step.drain is not None and step.drained_by is not None:
            _drain_step(services, drain, step.drain, step.drained_by)


def _drain_step(services: Services, drain: Drain, status: DocumentStatus, taker: str) -> None:
    # Nobody would move the documents, or nobody would record that they moved.
    for needed in (taker, StageName.TRACKER):
        if not services.running(needed):
            drain.say(f"{needed} is not running; not waiting for the {status} documents")
            return
    drain.wait(status, taker)


@dataclass(frozen=True)
class InFlight:
    """Counts a status's documents across ``tenants``, of those recorded since ``since()``:
    what was recorded before the running broker started is not in it any more, and no
    stage will ever take it."""

    repository: Repository
    tenants: Sequence[str]
    since: Callable[[], datetime]

    def __call__(self, status: DocumentStatus) -> int:
        since = self.since()
        return sum(self._count(tenant, status, since) for tenant in self.tenants)

    def _count(self, tenant: str, status: DocumentStatus, since: datetime) -> int:
        count, cursor = 0, None
        while True:
            page = self.repository.list_documents(
                tenant, status=status, limit=MAX_PAGE_LIMIT, cursor=cursor
            )
            count += sum(1 for document in page.items if document.updated_at >= since)
            if page.next_cursor is None:
                return count
            cursor = page.next_cursor


@contextmanager
def in_flight(
    settings: ResultsSettings, tenants: Sequence[str], since: Callable[[], datetime]
) -> Iterator[InFlight]:
    """:class:`InFlight` over the results store the services use, closed afterwards."""
    repository = open_repository(settings)
    try:
        yield InFlight(repository, tenants, since)
    finally:
        repository.close()
