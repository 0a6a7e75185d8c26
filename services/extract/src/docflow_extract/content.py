"""Read a document's content from the blob store, checked against its claim check."""

import hashlib

from docflow_events.v1 import BlobRef
from docflow_runtime.blobstore import BlobIntegrityError, BlobStore
from docflow_runtime.errors import PermanentError


class DocumentTooLargeError(PermanentError):
    """The document is larger than this service accepts."""


def read_verified(store: BlobStore, ref: BlobRef, max_bytes: int) -> bytes:
    """The blob's bytes, exactly as ``ref`` describes them (size and sha256)."""
    if ref.size > max_bytes:
        raise DocumentTooLargeError(
            f"document of {ref.size} bytes is larger than the limit of {max_bytes} bytes"
        )
    with store.open(ref.url) as stream:
        # One byte more than claimed is enough to notice content longer than its reference.
        data = stream.read(ref.size + 1)
    sha256 = hashlib.sha256(data).hexdigest()
    if len(data) != ref.size or sha256 != ref.sha256:
        raise BlobIntegrityError(ref, actual_size=len(data), actual_sha256=sha256)
    return data
