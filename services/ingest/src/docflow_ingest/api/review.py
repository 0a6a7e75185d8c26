"""Human review: what waits for a decision, and deciding."""

import base64
from typing import Annotated, Final, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict

from docflow_ingest.api.deps import (
    BlobStoreDep,
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
from docflow_ingest.core.review import review_decided
from docflow_ingest.core.review_case import ReviewCase, open_case, page_image, proposed_values
from docflow_ingest.core.review_decision import decide
from docflow_ingest.core.review_queue import Resume, Waiting, pending, queue_page
from docflow_results.models import DocumentStatus
from docflow_results.repository import InvalidCursorError as StoreCursorError
from docflow_results.repository import Repository

router = APIRouter(tags=["review"])
DEFAULT_PAGE: Final = 50
OrderQuery = Annotated[
    Literal["newest", "oldest"],
    Query(
        description="newest: newest first, page by page from the store (the default); "
        "oldest: longest waiting first, as the review page's queue (a cursor serves only "
        "the order that gave it)"
    ),
]


@router.get("/v1/reviews", response_model=ReviewList, responses=problem_responses(400, 422))
def list_reviews(
    tenant: TenantDep,
    repository: RepositoryDep,
    limit: LimitQuery = DEFAULT_PAGE,
    cursor: CursorQuery = None,
    order: OrderQuery = "newest",
) -> ReviewList:
    """Documents waiting for a decision, with the findings that stopped them: newest first,
    or with ``order=oldest`` longest waiting first, as the review page's queue. Those whose
    decision is already claimed are listed with ``decision_claimed``."""
    if order == "oldest":
        return _oldest_first(repository, tenant, limit, cursor)
    try:
        page = repository.list_documents(
            tenant, status=DocumentStatus.NEEDS_REVIEW, limit=limit,
            cursor=cursor,
        )  # fmt: skip
    except StoreCursorError:
        raise InvalidCursorError from None
    items = [_item(w) for w in pending(page.items, claimed=True)]
    return ReviewList(items=items, next_cursor=page.next_cursor)


def _oldest_first(
    repository: Repository, tenant: str, limit: int, cursor: str | None
) -> ReviewList:
    """A page of the queue after the cursor's position, read only as far as it needs."""
    shown, following = queue_page(repository, tenant, limit, _resume(cursor) if cursor else None)
    next_cursor = None if following is None else _cursor(following)
    return ReviewList(items=[_item(w) for w in shown], next_cursor=next_cursor)


class _OldestCursor(BaseModel):
    """Where an oldest-first page ended: positions stay valid as documents leave the queue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    order: Literal["oldest"] = "oldest"
    since: AwareDatetime
    id: str
    # Absent from cursors handed out before the queue was read in part: read from the start.
    read_from: AwareDatetime | None = None


def _cursor(resume: Resume) -> str:
    since, document_id = resume.after
    found = _OldestCursor(since=since, id=document_id, read_from=resume.read_from)
    return base64.urlsafe_b64encode(found.model_dump_json().encode()).decode()


def _resume(cursor: str) -> Resume:
    try:
        found = _OldestCursor.model_validate_json(base64.urlsafe_b64decode(cursor))
    except ValueError:  # not base64 (binascii.Error) or not one of ours (ValidationError)
        raise InvalidCursorError from None
    return Resume(after=(found.since, found.id), read_from=found.read_from)


def _item(entry: Waiting) -> ReviewItem:
    document, outcome = entry.document, entry.outcome
    return ReviewItem(
        id=document.id, filename=document.filename, media_type=document.media_type,
        created_at=document.created_at, updated_at=document.updated_at,
        document_type=outcome.document_type, rule_pack=outcome.rule_pack,
        findings=outcome.findings, decision_claimed=entry.claimed,
    )  # fmt: skip


@router.get(
    "/v1/reviews/{document_id}", response_model=ReviewCase, responses=problem_responses(404, 409)
)
async def review_case(
    document_id: str, tenant: TenantDep, settings: SettingsDep, repository: RepositoryDep,
    blobs: BlobStoreDep,
) -> ReviewCase:  # fmt: skip
    """What a reviewer decides on: pages, proposed fields and where each was found, findings."""
    document = await blocking(require_document, repository, tenant, document_id)
    return await blocking(open_case, blobs, document, max_result_bytes=settings.max_result_bytes)


@router.get(
    "/v1/reviews/{document_id}/pages/{number}",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **problem_responses(404, 409)},
)
async def review_page_image(
    *, document_id: str, number: Annotated[int, Path(ge=1, le=10_000)], tenant: TenantDep,
    settings: SettingsDep, repository: RepositoryDep, blobs: BlobStoreDep,
) -> Response:  # fmt: skip
    """Page ``number`` as a PNG, rendered once per run at the configured width."""
    document = await blocking(require_document, repository, tenant, document_id)
    png = await blocking(
        page_image, blobs, document, number, width=settings.review_page_width,
        max_content_bytes=settings.max_upload_bytes,
    )  # fmt: skip
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


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
    blobs: BlobStoreDep,
    intake: IntakeDep,
) -> ReviewAccepted:
    """Approve (optionally with corrections: the flow continues) or reject the document."""
    document = await blocking(require_document, repository, tenant, document_id)
    event = review_decided(
        document, decision=decision.decision, reviewer=decision.reviewer or tenant,
        corrections=decision.corrections, comment=decision.comment,
    )  # fmt: skip
    proposed = None
    if decision.corrections:
        proposed = await blocking(
            proposed_values, blobs, document, max_result_bytes=settings.max_result_bytes
        )
    await decide(repository, intake, document, event, proposed)
    url = status_url(request, settings, document_id)
    return ReviewAccepted(id=document_id, decision=event.data.decision, status_url=url)
