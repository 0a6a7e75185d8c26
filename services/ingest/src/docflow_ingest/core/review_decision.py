"""Deciding a review: claimed once, published, counted and recorded in the timeline."""

from collections.abc import Mapping
from typing import Any

from docflow_events import Envelope
from docflow_events.v1 import ReviewDecided
from docflow_ingest.core.intake import Intake, blocking
from docflow_ingest.core.metrics import count_decision
from docflow_ingest.core.review import RECORDED, AlreadyDecidedError, changes_of, claim_of
from docflow_results.models import Document
from docflow_results.repository import Repository
from docflow_runtime.logging import get_logger

log = get_logger(__name__)


async def decide(
    repository: Repository,
    intake: Intake,
    document: Document,
    event: Envelope[ReviewDecided],
    proposed: Mapping[str, Any] | None = None,
) -> None:
    """Claim the decision, publish it, and record it: only the first decision of a run goes
    on (two reviewers deciding at once get one and an AlreadyDecidedError), and one whose
    event cannot be published is given up so that it can be made again."""
    claimed = await blocking(
        repository.claim_review, document.tenant, document.id, run=document.run,
        decision=claim_of(event),
    )  # fmt: skip
    if claimed is None:
        raise AlreadyDecidedError
    try:
        await intake.publish(event)
    except Exception:
        await blocking(repository.release_review, document.tenant, document.id, run=document.run)
        raise
    count_decision(event.data.decision, event.data.corrections, waiting_since=document.updated_at)
    changes = changes_of(event.data.corrections, proposed)
    try:
        await blocking(_record, repository, document, event, changes)
    except Exception as exc:  # the decision is made and published: the answer must say so
        log.warning("the review decision could not be recorded in the timeline",
                    document_id=document.id, error_class=type(exc).__name__)  # fmt: skip


def _record(
    repository: Repository,
    document: Document,
    event: Envelope[ReviewDecided],
    changes: dict[str, dict[str, Any]],
) -> None:
    data = event.data
    detail = {"decision": data.decision, "reviewer": data.reviewer, "comment": data.comment,
              "changes": changes}  # fmt: skip
    repository.record_event(
        document.tenant, document.id, event_id=f"{event.id}/recorded", event_type=RECORDED,
        at=data.decided_at, status=None, detail=detail, run=document.run,
    )  # fmt: skip
