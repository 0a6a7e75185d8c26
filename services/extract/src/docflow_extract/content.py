"""Read a document's content from the blob store, checked against its claim check."""

from docflow_events.v1 import BlobRef
from docflow_runtime.blobstore import BlobStore
from docflow_runtime.errors import PermanentError


class DocumentTooLargeError(PermanentError):
    """The document is larger than this service accepts."""


def read_verified(store: BlobStore, ref: BlobRef, max_bytes: int) -> bytes:
    """The blob's bytes, exactly as ``ref`` describes them (size and sha256)."""
    if ref.size > max_bytes:
        raise DocumentTooLargeError(
            f"document of {ref.size} bytes is larger than the limit of {max_bytes} bytes"
        )
    return store.read_verified(ref)
