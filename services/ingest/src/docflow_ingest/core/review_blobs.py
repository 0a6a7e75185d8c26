"""What review keeps in the blob store beside a document: proposals and page images, made once
per run and read back on every later view."""

from collections.abc import Callable

from docflow_results.models import Document
from docflow_runtime.blobstore import BlobStore
from docflow_runtime.blobstore.base import validate_key


def review_key(document: Document, name: str) -> str:
    """Per tenant and run, like the stages' results: a reprocessed document is reviewed anew."""
    return validate_key(f"{document.tenant}/{document.id}/runs/{document.run}/review/{name}")


def cached(blobs: BlobStore, document: Document, name: str, make: Callable[[], bytes]) -> bytes:
    """The blob ``name`` of ``document``'s review, made by ``make`` and stored the first time.

    Two viewers at once may both make it; each write replaces the blob whole, so either is
    what stays."""
    key = review_key(document, name)
    url = blobs.url_of(key)
    if blobs.exists(url):
        return blobs.read(url)
    data = make()
    blobs.put_bytes(key, data)
    return data
