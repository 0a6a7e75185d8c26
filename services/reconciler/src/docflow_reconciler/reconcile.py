"""Re-driving documents that stopped moving.

A document on its way (received, extracted, validated, enriched) that has not changed for a
while lost its next event somewhere: a broker that forgot what it held, a crash between two
writes. The reconciler publishes again the event that brought the document to its status —
the tracker keeps it as the document's *step* — with its own id, so every stage and sink that
already had it recognises a redelivery. A document received but never seen by the tracker is
announced again from its row. After ``max_redrives`` re-drives without progress the document
is failed, with the reason, through a ``document.failed`` event like any stage's failure.

A final document whose webhook never went (no delivery logged for the event that made it
final) gets that event again too, so notify sends it; at most ``max_redrives`` times.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Final, Protocol

from prometheus_client import Counter, Gauge
from pydantic import ValidationError

from docflow_events import Envelope, EventData, UnknownEventTypeError, model_for
from docflow_events.v1 import DocumentFailed, DocumentReceived
from docflow_results.models import Document, DocumentStatus
from docflow_results.repository import Repository
from docflow_runtime.logging import get_logger
from docflow_runtime.periodic import Periodic
from docflow_runtime.records import final_notice_id

log = get_logger(__name__)

NAME: Final = "reconciler"
SOURCE: Final = "/docflow/reconciler"
#: The timeline entry a re-drive leaves: it counts the re-drives and restarts the stall clock.
REDRIVEN: Final = "io.docflow.reconciler.redriven"
_IDS: Final = uuid.UUID("0b5e4a2c-6f1d-4c8e-9a3b-7d2e1f0c5b84")

REDRIVES: Final = Counter(
    "docflow_reconciler_redrives_total",
    "Stalled documents whose last step was published again, by the status they were in",
    ["status"],
)
GIVEN_UP: Final = Counter(
    "docflow_reconciler_failed_documents_total",
    "Stalled documents failed after their re-drives ran out",
)
STALLED: Final = Gauge(
    "docflow_reconciler_stalled_documents", "Stalled documents the last pass found"
)
# Every status's series exists at zero from the start: a counter born at 1 shows no increase.
for _status in DocumentStatus:
    REDRIVES.labels(_status.value)


class Publisher(Protocol):
    def publish(self, events: Sequence[Envelope[Any]]) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Pass:
    """What one pass did."""

    redriven: int = 0
    failed: int = 0


class Reconciler(Periodic):
    name: ClassVar[str] = NAME

    def __init__(
        self,
        repository: Repository,
        publisher: Publisher,
        *,
        stalled_after: timedelta,
        max_redrives: int,
        batch: int,
        interval_seconds: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._repository = repository
        self._publisher = publisher
        self._stalled_after = stalled_after
        self._max_redrives = max_redrives
        self._batch = batch
        self._interval = interval_seconds
        self._clock = clock

    @property
    def interval_seconds(self) -> float:
        return self._interval

    def run_once(self) -> None:
        self.reconcile(self._clock() - self._stalled_after)

    def reconcile(self, before: datetime) -> Pass:
        """Re-drive (or fail) the documents unchanged since before ``before``, and announce
        again the final ones whose webhook never went."""
        stalled = self._repository.stalled(before, limit=self._batch)
        STALLED.set(len(stalled))
        outcomes = [self._reconcile(document) for document in stalled]
        unannounced = self._repository.unannounced(before, limit=self._batch)
        outcomes += [self._announce(document) for document in unannounced]
        done = Pass(redriven=outcomes.count("redriven"), failed=outcomes.count("failed"))
        if stalled or unannounced:
            log.info("reconciled stalled documents", redriven=done.redriven, failed=done.failed)
        return done

    def close(self) -> None:
        self._publisher.close()
        self._repository.close()

    def _reconcile(self, document: Document) -> str:
        redrives = self._redrives(document)
        step = step_of(document)
        if step is None or redrives >= self._max_redrives:
            self._fail(document, redrives, has_step=step is not None)
            return "failed"
        self._publisher.publish([step])
        self._mark(document, step, redrives + 1)
        REDRIVES.labels(document.status.value).inc()
        return "redriven"

    def _announce(self, document: Document) -> str:
        step = step_of(document)
        if step is None or self._redrives(document) >= self._max_redrives:
            return "left"  # notify has had its chances; the document itself is final
        self._publisher.publish([step])
        self._mark(document, step, self._redrives(document) + 1)
        REDRIVES.labels(document.status.value).inc()
        return "redriven"

    def _redrives(self, document: Document) -> int:
        """Re-drives of this run since the document last moved: a document that moves again
        after a re-drive is not counted against for having been stuck before."""
        count = 0
        for entry in self._repository.timeline(document.tenant, document.id):
            if entry.run != document.run:
                continue
            if entry.event_type == REDRIVEN:
                count += 1
            elif entry.status is not None:
                count = 0
        return count

    def _mark(self, document: Document, step: Envelope[Any], attempt: int) -> None:
        self._repository.record_event(
            document.tenant, document.id, event_id=f"{step.id}/redriven/{attempt}",
            event_type=REDRIVEN, at=self._clock(), status=None,
            detail={"event_type": step.type, "attempt": attempt}, run=document.run,
        )  # fmt: skip

    def _fail(self, document: Document, redrives: int, *, has_step: bool) -> None:
        self._publisher.publish([failure(document, redrives, has_step=has_step, at=self._clock())])
        GIVEN_UP.inc()
        log.warning("stalled document failed", document_id=document.id, tenant=document.tenant,
                    status=document.status.value, redrives=redrives)  # fmt: skip


def step_of(document: Document) -> Envelope[EventData] | None:
    """The event to publish again: the document's step, or for a document received but never
    seen by the tracker, its announcement rebuilt from its row; None when neither can be had."""
    if document.step is not None:
        return _restored(document.step)
    if document.status is DocumentStatus.RECEIVED:
        return _announcement(document)
    return None


def failure(document: Document, redrives: int, *, has_step: bool, at: datetime) -> Envelope[Any]:
    reason = (
        f"no progress in status {document.status.value} since "
        f"{document.updated_at:%Y-%m-%d %H:%M:%S} UTC, after {redrives} re-drives"
        if has_step
        else f"no progress in status {document.status.value}, and no step to re-drive from"
    )
    data = DocumentFailed(
        document_id=document.id, tenant=document.tenant, run=document.run, stage=NAME,
        error_class="StalledDocumentError", reason=reason, permanent=False,
        attempts=max(1, redrives), dead_letter_topic="", source_topic="", source_partition=0,
        source_offset=0, failed_at=at,
    )  # fmt: skip
    # The id of the run's failure notice, whoever sends it: one notice per run.
    notice = final_notice_id(document.tenant, document.id, document.run, "failed")
    return Envelope.wrap(data, id=notice, source=SOURCE)


def _restored(step: dict[str, Any]) -> Envelope[EventData] | None:
    try:
        data = model_for(str(step.get("type"))).model_validate(step.get("data"))
        return Envelope[EventData].model_validate({**step, "data": data})
    except (UnknownEventTypeError, ValidationError):
        return None


def _announcement(document: Document) -> Envelope[EventData]:
    data = DocumentReceived(
        document_id=document.id, tenant=document.tenant, run=document.run,
        content=document.content, filename=document.filename, media_type=document.media_type,
        document_type_hint=document.document_type_hint, callback_url=document.callback_url,
        metadata=document.metadata, received_at=document.created_at,
    )  # fmt: skip
    return Envelope[EventData].wrap(data, id=_id(document, "received"), source=SOURCE)


def _id(document: Document, what: str) -> str:
    """The same id every time: a repeated re-drive or failure is a redelivery downstream."""
    return str(uuid.uuid5(_IDS, f"{document.tenant}/{document.id}/{document.run}/{what}"))
