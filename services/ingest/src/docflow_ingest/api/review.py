"""Human review: what waits for a decision, and deciding."""

from typing import Final

from fastapi import APIRouter, Depends, Request

from docflow_events import Envelope
from docflow_events.v1 import ReviewDecided
from docflow_ingest.api.deps import (
    IntakeDep,
    RepositoryDep,
    SettingsDep,
    TenantDep,
    require_document,
    require_flowing,
    status_url,
)
from docflow_ingest.api.paging import CursorQuery, InvalidCursorError, LimitQuery, problem_responses
from docflow_ingest.api.schemas import ReviewAccepted, ReviewItem, ReviewList, ReviewRequest
from docflow_ingest.core.intake import blocking
from docflow_ingest.core.review import (
    AlreadyDecidedError,
    claim_of,
    pending_review,
    review_decided,
)
from docflow_results.models import Document, DocumentStatus
from docflow_results.repository import InvalidCursorError as StoreCursorError
from docflow_results.repository import Repository

router = APIRouter(tags=["review"])
DEFAULT_PAGE: Final = 50


@router.get("/v1/reviews", response_model=ReviewList, responses=problem_responses(400, 422))
def list_reviews(
    tenant: TenantDep,
    repository: RepositoryDep,
    limit: LimitQuery = DEFAULT_PAGE,
    cursor: CursorQuery = None,
) -> ReviewList:
    """Documents waiting for a decision, newest first, with the findings that stopped them."""
    try:
        page = repository.list_documents(
            tenant, status=DocumentStatus.NEEDS_REVIEW, limit=limit,
            cursor=cursor,
        )  # fmt: skip
    except StoreCursorError:
        raise InvalidCursorError from None
    return ReviewList(items=[_item(d) for d in page.items], next_cursor=page.next_cursor)


def _item(document: Document) -> ReviewItem:
    outcome = pending_review(document)
    return ReviewItem(
        id=document.id, filename=document.filename, media_type=document.media_type,
        created_at=document.created_at, updated_at=document.updated_at,
        document_type=outcome.document_type, rule_pack=outcome.rule_pack,
        findings=outcome.findings,
    )  # fmt: skip


@router.post(
    "/v1/documents/{document_id}/review",
    status_code=202,
    response_model=ReviewAccepted,
    responses=problem_responses(404, 409, 413, 422, 503),
    dependencies=[Depends(require_flowing)],
)
async def decide_review(
    *,
    document_id: str,
    decision: ReviewRequest,
    request: Request,
    tenant: TenantDep,
    settings: SettingsDep,
    repository: RepositoryDep,
    intake: IntakeDep,
) -> ReviewAccepted:
    """Approve (optionally with corrections: the flow continues) or reject the document."""
    document = await blocking(require_document, repository, tenant, document_id)
    event = review_decided(
        document, decision=decision.decision, reviewer=decision.reviewer or tenant,
        corrections=decision.corrections, comment=decision.comment,
    )  # fmt: skip
    await _claimed(repository, document, event)
    try:
        await intake.publish(event)
    except Exception:
        # Not decided after all: the reviewer (or another) may decide again.
        await blocking(repository.release_review, tenant, document_id, run=document.run)
        raise
    url = status_url(request, settings, document_id)
    return ReviewAccepted(id=document_id, decision=event.data.decision, status_url=url)


async def _claimed(
    repository: Repository, document: Document, event: Envelope[ReviewDecided]
) -> None:
    """Only the first decision of a run goes on: two reviewers deciding at once get one 202
    and one 409, never two events."""
    claimed = await blocking(
        repository.claim_review, document.tenant, document.id, run=document.run,
        decision=claim_of(event),
    )  # fmt: skip
    if claimed is None:
        raise AlreadyDecidedError
