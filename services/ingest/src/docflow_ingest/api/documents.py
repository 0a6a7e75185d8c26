"""Documents: upload, status and record, list, timeline, original content, reprocess.

A duplicate upload (same content for the tenant, or a repeated ``Idempotency-Key`` with the
same content) answers ``200`` with the existing document's id and current status, so a client
can tell "accepted now" (``202``) from "already had it" without a second request. The existing
document keeps its own options; the answer names those given that differ, and reprocessing
with a body applies new ones.
"""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, BinaryIO, Final
from urllib.parse import quote

import pydantic
from fastapi import APIRouter, Depends, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import AwareDatetime

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
from docflow_ingest.api.schemas import (
    DocumentAccepted,
    DocumentList,
    DocumentSummary,
    DocumentView,
    ReprocessOptions,
    Timeline,
    UploadAccepted,
    UploadOptions,
)
from docflow_ingest.core.intake import Accepted, Intake, blocking
from docflow_ingest.core.metrics import UPLOAD_BYTES, UPLOADS
from docflow_ingest.core.options import not_applied, stored_fields, with_options
from docflow_ingest.core.problems import ProblemError
from docflow_ingest.core.upload import ReceivedUpload, UploadLimits, receive_upload
from docflow_ingest.settings import IngestSettings
from docflow_results.models import DocumentStatus, NewDocument
from docflow_results.repository import InvalidCursorError as StoreCursorError
from docflow_runtime.blobstore import BlobNotFoundError, BlobStore, original_key

router = APIRouter(prefix="/v1/documents", tags=["documents"])

DOWNLOAD_CHUNK: Final = 64 * 1024
IDEMPOTENCY_KEY_PATTERN: Final = r"^[\x21-\x7e]{1,255}$"


class ContentGoneError(ProblemError):
    def __init__(self) -> None:
        super().__init__(HTTPStatus.NOT_FOUND, "content-gone", "the content is no longer stored")


_UPLOAD_BODY: Final = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "document_type": {"type": "string", "description": "A type hint"},
                        "callback_url": {"type": "string", "format": "uri"},
                        "metadata": {"type": "string", "description": "A JSON object"},
                    },
                }
            },
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary"},
                "description": "The document as the raw body; name it with X-Filename",
            },
        },
    }
}


@router.post(
    "",
    status_code=202,
    response_model=UploadAccepted,
    summary="Upload a document",
    responses={
        200: {"model": UploadAccepted, "description": "A duplicate: the existing document"},
        **problem_responses(400, 409, 413, 415, 422, 503),
    },
    openapi_extra=_UPLOAD_BODY,
    dependencies=[Depends(require_flowing)],
)
async def upload_document(
    *,
    request: Request,
    tenant: TenantDep,
    settings: SettingsDep,
    blobs: BlobStoreDep,
    intake: IntakeDep,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY_PATTERN)
    ] = None,
) -> JSONResponse:
    try:
        accepted, options = await _accept(
            request, tenant=tenant, settings=settings, blobs=blobs, intake=intake,
            idempotency_key=idempotency_key,
        )  # fmt: skip
    except ProblemError as exc:
        UPLOADS.labels(exc.slug).inc()
        raise
    UPLOADS.labels("accepted" if accepted.created else "duplicate").inc()
    document = accepted.document
    url = status_url(request, settings, document.id)
    body = UploadAccepted(
        id=document.id, status=document.status, status_url=url,
        duplicate_of_existing=accepted.existing,
        options_not_applied=not_applied(options.given(), document),
    )  # fmt: skip
    status = 202 if accepted.created else 200
    return JSONResponse(body.model_dump(mode="json"), status, headers={"Location": url})


async def _accept(
    request: Request,
    *,
    tenant: str,
    settings: IngestSettings,
    blobs: BlobStore,
    intake: Intake,
    idempotency_key: str | None,
) -> tuple[Accepted, UploadOptions]:
    document_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    limits = UploadLimits(settings.max_upload_bytes, settings.max_form_field_bytes)
    upload = await receive_upload(request, blobs, original_key(tenant, now, document_id), limits)
    options = await _options(upload, blobs)
    UPLOAD_BYTES.observe(upload.content.size)
    new = NewDocument(
        id=document_id, tenant=tenant, filename=upload.filename, media_type=upload.media_type,
        content=upload.content, idempotency_key=idempotency_key, created_at=now,
        **stored_fields(options.given()),
    )  # fmt: skip
    return await intake.accept(new), options


async def _options(upload: ReceivedUpload, blobs: BlobStore) -> UploadOptions:
    """The fields come after the file in a multipart body, so they are checked last."""
    try:
        return UploadOptions.model_validate(upload.fields)
    except pydantic.ValidationError as exc:
        await blocking(blobs.delete, upload.content.url)
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_input=False)]
        ) from None


@router.get("/{document_id}", response_model=DocumentView, responses=problem_responses(404))
def get_document(
    document_id: str,
    request: Request,
    tenant: TenantDep,
    settings: SettingsDep,
    repository: RepositoryDep,
) -> DocumentView:
    """The status and, once stored, the record; the message a document is attached to, and
    the attachments split off a message."""
    document = require_document(repository, tenant, document_id)
    children = repository.children(tenant, document_id)
    return DocumentView.linked(document, children, lambda i: status_url(request, settings, i))


@router.get("", response_model=DocumentList, responses=problem_responses(400, 422))
def list_documents(
    *,
    tenant: TenantDep,
    repository: RepositoryDep,
    status: DocumentStatus | None = None,
    created_after: AwareDatetime | None = None,
    created_before: AwareDatetime | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> DocumentList:
    """Newest first. ``created_after`` is inclusive, ``created_before`` exclusive."""
    try:
        page = repository.list_documents(
            tenant, status=status, created_after=created_after, created_before=created_before,
            limit=limit, cursor=cursor,
        )  # fmt: skip
    except StoreCursorError:
        raise InvalidCursorError from None
    items = [DocumentSummary.of(document) for document in page.items]
    return DocumentList(items=items, next_cursor=page.next_cursor)


@router.get("/{document_id}/events", response_model=Timeline, responses=problem_responses(404))
def document_events(document_id: str, tenant: TenantDep, repository: RepositoryDep) -> Timeline:
    """The timeline: every event the document went through, oldest first."""
    require_document(repository, tenant, document_id)
    return Timeline(id=document_id, events=repository.timeline(tenant, document_id))


@router.get(
    "/{document_id}/content",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {}}}, **problem_responses(404)},
)
def document_content(
    document_id: str, tenant: TenantDep, repository: RepositoryDep, blobs: BlobStoreDep
) -> StreamingResponse:
    """The original bytes, as uploaded, with the sniffed media type."""
    document = require_document(repository, tenant, document_id)
    try:
        stream = blobs.open(document.content.url)
    except BlobNotFoundError:
        raise ContentGoneError from None
    headers = {
        "Content-Disposition": attachment(document.filename or f"{document.id}"),
        "Content-Length": str(document.content.size),
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(_chunks(stream), media_type=document.media_type, headers=headers)


@router.post(
    "/{document_id}/reprocess",
    status_code=202,
    response_model=DocumentAccepted,
    responses=problem_responses(404, 409, 413, 422, 503),
    dependencies=[Depends(require_flowing)],
)
async def reprocess_document(
    *,
    document_id: str,
    request: Request,
    tenant: TenantDep,
    settings: SettingsDep,
    repository: RepositoryDep,
    intake: IntakeDep,
    options: ReprocessOptions | None = None,
) -> DocumentAccepted:
    """Run a finished document (stored, rejected or failed) through the flow again; options
    in the body replace the document's own for the new run and after it."""
    document = await blocking(require_document, repository, tenant, document_id)
    changes = None if options is None else with_options(document, options.given())
    reset = await intake.reprocess(document, changes)
    url = status_url(request, settings, document_id)
    return DocumentAccepted(id=reset.id, status=reset.status, status_url=url)


def attachment(filename: str) -> str:
    """RFC 6266: an ASCII fallback plus the exact name percent-encoded."""
    fallback = filename.encode("ascii", "replace").decode().replace('"', "'").replace("\\", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(DOWNLOAD_CHUNK):
            yield chunk
