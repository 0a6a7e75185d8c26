"""Results-store rows for tests: a received document, with content of its own unless given."""

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from docflow_events.v1 import BlobRef
from docflow_results.models import NewDocument

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def new_document(
    tenant: str = "acme",
    content: bytes | None = None,
    *,
    key: str | None = None,
    created_at: datetime = T0,
    document_id: str | None = None,
    **fields: Any,
) -> NewDocument:
    """A received document; unique content unless ``content`` is given."""
    data = content if content is not None else uuid.uuid4().bytes
    digest = hashlib.sha256(data).hexdigest()
    defaults: dict[str, Any] = {"filename": "contract.pdf", "media_type": "application/pdf"}
    return NewDocument(
        id=document_id or str(uuid.uuid4()),
        tenant=tenant,
        content=BlobRef(url=f"file:///blobs/{digest}", sha256=digest, size=len(data)),
        idempotency_key=key,
        created_at=created_at,
        **(defaults | fields),
    )
