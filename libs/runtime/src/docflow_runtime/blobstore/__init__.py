"""Blob stores: where documents and large results live, referenced from events by url."""

from docflow_runtime.blobstore.base import (
    BlobContentError,
    BlobIntegrityError,
    BlobNotFoundError,
    BlobStore,
    BlobStoreError,
    BlobTooLargeError,
    ForeignBlobUrlError,
    InvalidBlobKeyError,
    UnsupportedBlobUrlError,
    original_key,
    result_key,
    validate_key,
)
from docflow_runtime.blobstore.factory import blob_store_from_settings, blob_store_from_url
from docflow_runtime.blobstore.local import LocalBlobStore

__all__ = [
    "BlobContentError",
    "BlobIntegrityError",
    "BlobNotFoundError",
    "BlobStore",
    "BlobStoreError",
    "BlobTooLargeError",
    "ForeignBlobUrlError",
    "InvalidBlobKeyError",
    "LocalBlobStore",
    "UnsupportedBlobUrlError",
    "blob_store_from_settings",
    "blob_store_from_url",
    "original_key",
    "result_key",
    "validate_key",
]
