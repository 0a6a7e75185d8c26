"""Attachments split off a message become documents: stored, named, and announced.

Each gets an id of its own, derived from its parent's id, the parent's run and its place among
the parent's attachments, so a redelivered message announces the same documents again (the
tracker, which creates a document from its first ``document.received``, makes nothing twice)
and a reprocessed one announces new ones. Their content is stored where ingest stores uploads.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from docflow_events.v1 import DocumentReceived
from docflow_extract.backends.base import Attachment
from docflow_runtime.blobstore import BlobStore, original_key

_ID_NAMESPACE: Final = uuid.UUID("0f3a1c52-6f0e-4c8e-b0f4-5d7e9a1b2c3d")
#: Attachments are received this far apart, so that they list in the order of the message.
_APART: Final = timedelta(microseconds=1)


def attachment_id(tenant: str, parent_id: str, run: int, index: int) -> str:
    """The id of the ``index``-th attachment (from 0) of run ``run`` of ``parent_id``."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{tenant}/{parent_id}/runs/{run}/attachments/{index}"))


def announced_attachments(
    store: BlobStore, message: DocumentReceived, attachments: Sequence[Attachment], at: datetime
) -> list[DocumentReceived]:
    """A ``document.received`` for each attachment, its content stored first."""
    places = _places(message, attachments)
    # Keyed by the message's day, not today's: a redelivery writes the same blobs again.
    keys = [original_key(message.tenant, message.received_at, place[0]) for place in places]
    return [
        DocumentReceived(
            document_id=document_id,
            tenant=message.tenant,
            content=store.put_bytes(key, attachment.content),
            filename=attachment.filename,
            media_type=attachment.media_type,
            received_at=at + number * _APART,
            parent_id=parent_id,
        )
        for number, (attachment, (document_id, parent_id), key) in enumerate(
            zip(attachments, places, keys, strict=True)
        )
    ]


def _places(message: DocumentReceived, attachments: Sequence[Attachment]) -> list[tuple[str, str]]:
    """Each attachment's id and its parent's. Attachments of an attached message are that
    message's children, of its first (and only) run."""
    places: list[tuple[str, str]] = []
    siblings: Counter[int | None] = Counter()
    for attachment in attachments:
        parent = message.document_id if attachment.parent is None else places[attachment.parent][0]
        run = message.run if attachment.parent is None else 1
        index = siblings[attachment.parent]
        siblings[attachment.parent] += 1
        places.append((attachment_id(message.tenant, parent, run, index), parent))
    return places
