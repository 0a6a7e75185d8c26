"""A document waiting for review with a real extraction result in the blob store."""

import uuid
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from docflow_events.v1 import Finding, ValidationFailed
from docflow_results.models import DocumentStatus
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore
from docflow_testing.samples import read_pdf, sample

from .helpers import auth

NDA = "kleister-nda/0564e5bce70dd2df5473d64da16ddbe3.pdf"
PARTIES = Finding(
    rule="nda.parties", severity="error", message="only one party found", field="parties"
)


def nda_in_review(
    client: TestClient,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    *,
    tenant: str = "acme",
    filename: str = "nda.pdf",
    document_type: str = "nda",
    findings: tuple[Finding, ...] = (PARTIES,),
) -> str:
    """An NDA of ``tenant`` that failed validation (on its parties, unless told), read as
    ``document_type``."""
    path = sample(NDA)
    # Bytes after the end of a PDF are ignored by readers and make each upload a new document.
    content = path.read_bytes() + f"\n% {uuid.uuid4()}\n".encode()
    files = {"file": (filename, content, "application/pdf")}
    response = client.post("/v1/documents", files=files, headers=auth(tenant))
    document_id = str(response.json()["id"])
    document = repository.get(tenant, document_id)
    assert document is not None
    extraction = read_pdf(path).model_copy(update={"document_id": document_id})
    ref = blobs.save(f"{tenant}/{document_id}/runs/1/extraction.json", extraction)
    failed = ValidationFailed(
        document_id=document_id, tenant=tenant, content=document.content, extraction=ref,
        rule_pack=document_type, document_type=document_type, findings=list(findings),
    )  # fmt: skip
    repository.record_event(
        tenant, document_id, event_id=str(uuid.uuid4()), event_type=ValidationFailed.event_type,
        at=datetime.now(UTC), status=DocumentStatus.NEEDS_REVIEW, detail={},
        review=failed.model_dump(mode="json"),
    )  # fmt: skip
    return document_id
