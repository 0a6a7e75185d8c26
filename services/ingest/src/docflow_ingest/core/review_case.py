"""Everything a reviewer must see to decide on one document: its pages' text and images, the
fields enrichment would propose with where each was found, and the findings that stopped it.
"""

from datetime import datetime
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import Classification, Finding, ValidationFailed
from docflow_events.v1.results import ExtractionResult, KeyValue, PageMethod, Table
from docflow_ingest.core.page_images import NoPageImageError, has_page_images, render_page
from docflow_ingest.core.problems import ProblemError
from docflow_ingest.core.review import NotAwaitingReviewError, pending_review
from docflow_ingest.core.review_blobs import cached
from docflow_ingest.core.review_fields import (
    REVIEWABLE,
    Proposal,
    ReviewField,
    plain,
    propose,
    review_fields,
)
from docflow_results.models import Document, DocumentStatus, ReviewDecision
from docflow_runtime.blobstore import BlobStore, BlobStoreError

PROPOSAL_BLOB = "proposal.json"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReviewPage(_Model):
    number: int
    method: PageMethod
    text: str
    image: bool = Field(description="Whether GET .../pages/{number} renders this page")


class ReviewCase(_Model):
    id: str
    status: DocumentStatus
    run: int
    filename: str | None
    media_type: str
    created_at: datetime
    waiting_since: datetime = Field(description="When the document entered review")
    document_type: str = Field(description="The type the rule pack was chosen for")
    rule_pack: str
    findings: list[Finding]
    classification: Classification = Field(description="The type enrichment would propose")
    fields: list[ReviewField] = Field(description="Proposed values, flagged fields first")
    pages: list[ReviewPage]
    key_values: list[KeyValue]
    tables: list[Table]
    warnings: list[str]
    decision: ReviewDecision | None = Field(description="The decision claimed, if any")


class PageNotShownError(ProblemError):
    def __init__(self, detail: str) -> None:
        super().__init__(HTTPStatus.NOT_FOUND, "no-page-image", detail)


def open_case(blobs: BlobStore, document: Document, *, max_result_bytes: int) -> ReviewCase:
    """The case of a document waiting for review; raises NotAwaitingReviewError otherwise."""
    outcome = pending_review(document)
    extraction = _extraction(blobs, document, outcome, max_result_bytes)
    proposal = _proposal(blobs, document, extraction, outcome.document_type)
    imaged = has_page_images(document.media_type)
    return ReviewCase(
        id=document.id, status=document.status, run=document.run, filename=document.filename,
        media_type=document.media_type, created_at=document.created_at,
        waiting_since=document.updated_at, document_type=outcome.document_type,
        rule_pack=outcome.rule_pack, findings=outcome.findings,
        classification=proposal.classification,
        fields=review_fields(proposal, extraction, outcome.findings, outcome.document_type),
        pages=[ReviewPage(number=p.number, method=p.method, text=p.text, image=imaged)
               for p in extraction.pages],
        key_values=extraction.key_values, tables=extraction.tables,
        warnings=extraction.warnings, decision=document.decision,
    )  # fmt: skip


def proposed_values(
    blobs: BlobStore, document: Document, *, max_result_bytes: int
) -> dict[str, Any] | None:
    """The reviewable fields' proposed values, as a decision's changes are recorded against;
    None when they cannot be read (the decision goes on without them)."""
    try:
        outcome = pending_review(document)
        extraction = _extraction(blobs, document, outcome, max_result_bytes)
        proposal = _proposal(blobs, document, extraction, outcome.document_type)
    except (BlobStoreError, NotAwaitingReviewError):
        return None
    return {name: plain(getattr(proposal.entities, name)) for name in REVIEWABLE}


def _extraction(
    blobs: BlobStore, document: Document, outcome: ValidationFailed, max_result_bytes: int
) -> ExtractionResult:
    return blobs.load(
        outcome.extraction, ExtractionResult, max_bytes=max_result_bytes, document_id=document.id
    )


def _proposal(
    blobs: BlobStore, document: Document, extraction: ExtractionResult, hint: str
) -> Proposal:
    data = cached(
        blobs, document, PROPOSAL_BLOB, lambda: propose(extraction, hint).model_dump_json().encode()
    )
    return Proposal.model_validate_json(data)


def page_image(
    blobs: BlobStore, document: Document, number: int, *, width: int, max_content_bytes: int
) -> bytes:
    """Page ``number`` as a PNG ``width`` wide, rendered once per run and width."""
    pending_review(document)
    if not has_page_images(document.media_type):
        raise PageNotShownError(f"a {document.media_type} document has no page images")

    def render() -> bytes:
        content = blobs.read_verified(document.content, max_bytes=max_content_bytes)
        try:
            return render_page(content, document.media_type, number, width)
        except NoPageImageError as exc:
            raise PageNotShownError(str(exc)) from None

    return cached(blobs, document, f"page-{number}-{width}.png", render)
