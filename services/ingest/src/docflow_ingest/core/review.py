"""Human review: a decision on a document that failed validation becomes ``review.decided``.

Everything the next stage needs (content and extraction references, rule pack, document
type, findings) comes from the ``validation.failed`` data the tracker keeps on the document.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, Final, Literal

import pydantic

from docflow_events import Envelope
from docflow_events.v1 import ReviewDecided, ValidationFailed
from docflow_ingest.core.envelopes import envelope
from docflow_ingest.core.problems import ProblemError
from docflow_results.models import Document, DocumentStatus, ReviewDecision

Decision = Literal["approve", "reject"]
_DECIDED: dict[Decision, Literal["approved", "rejected"]] = {
    "approve": "approved",
    "reject": "rejected",
}


class NotAwaitingReviewError(ProblemError):
    def __init__(self, detail: str) -> None:
        super().__init__(HTTPStatus.CONFLICT, "not-awaiting-review", detail)


def pending_review(document: Document) -> ValidationFailed:
    """The validation outcome a reviewer decides on; raises unless the document waits for one."""
    if document.status is not DocumentStatus.NEEDS_REVIEW:
        raise NotAwaitingReviewError(f"the document is {document.status.value}, not needs_review")
    try:
        return ValidationFailed.model_validate(document.review or {})
    except pydantic.ValidationError:
        raise NotAwaitingReviewError("the document has no validation outcome to review") from None


def review_decided(
    document: Document,
    *,
    decision: Decision,
    reviewer: str,
    corrections: dict[str, Any],
    comment: str | None,
) -> Envelope[ReviewDecided]:
    outcome = pending_review(document)
    return envelope(
        ReviewDecided(
            document_id=document.id,
            tenant=document.tenant,
            decision=_DECIDED[decision],
            reviewer=reviewer,
            corrections=corrections,
            comment=comment,
            content=outcome.content,
            extraction=outcome.extraction,
            rule_pack=outcome.rule_pack,
            document_type=outcome.document_type,
            findings=outcome.findings,
            decided_at=datetime.now(UTC),
            run=document.run,
            # The stages before review still count in the final record's timings.
            timings=outcome.timings,
        )
    )


class AlreadyDecidedError(ProblemError):
    def __init__(self) -> None:
        super().__init__(
            HTTPStatus.CONFLICT, "already-decided", "another decision on this review came first"
        )


def claim_of(event: Envelope[ReviewDecided]) -> ReviewDecision:
    """What the results store keeps of a decision to let only the first one through."""
    data = event.data
    return ReviewDecision(decision=data.decision, reviewer=data.reviewer, at=data.decided_at)


#: The timeline entry ingest adds beside the tracker's: who decided, and what changed.
RECORDED: Final = "io.docflow.review.recorded"


def changes_of(
    corrections: Mapping[str, Any], proposed: Mapping[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """Each corrected field with the value it replaced (None when nothing was proposed or the
    proposal could not be read)."""
    before = proposed or {}
    return {name: {"from": before.get(name), "to": value} for name, value in corrections.items()}
