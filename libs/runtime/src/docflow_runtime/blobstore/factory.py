"""Choose a blob store from its url (``DOCFLOW_BLOB_URL``)."""

from pathlib import Path
from urllib.parse import urlsplit

from docflow_runtime.blobstore.base import BlobStore, UnsupportedBlobUrlError
from docflow_runtime.blobstore.local import LocalBlobStore, path_from_file_url


def blob_store_from_url(url: str) -> BlobStore:
    """The store a url names: ``file:///abs/dir`` or a plain directory path.

    Error messages name the scheme, never the whole url: it may carry credentials.
    """
    if not url.strip():
        raise UnsupportedBlobUrlError("the blob store url is empty")
    scheme = urlsplit(url).scheme.lower()
    if not scheme:
        return LocalBlobStore(Path(url))
    if scheme == "file":
        return LocalBlobStore(_directory_from_file_url(url))
    if scheme == "s3":
        raise UnsupportedBlobUrlError(
            "S3 blob store is not available yet; use a file:// url or a local directory"
        )
    raise UnsupportedBlobUrlError(
        f"unsupported blob store url scheme {scheme!r}; expected file:///absolute/dir "
        "or a directory path"
    )


def _directory_from_file_url(url: str) -> Path:
    path = path_from_file_url(url)
    if path is None:
        raise UnsupportedBlobUrlError(
            "a file:// blob store url must name an absolute local directory (file:///dir)"
        )
    return path
