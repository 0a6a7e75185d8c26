"""Choose a blob store from its url (``DOCFLOW_BLOB_URL``)."""

from pathlib import Path
from urllib.parse import urlsplit

from docflow_runtime.blobstore.base import BlobStore, UnsupportedBlobUrlError
from docflow_runtime.blobstore.local import LocalBlobStore, path_from_file_url
from docflow_runtime.settings import BlobS3Settings, ServiceSettings


def blob_store_from_settings(settings: ServiceSettings) -> BlobStore:
    """The store ``DOCFLOW_BLOB_URL`` names, with its backend's settings."""
    return blob_store_from_url(settings.blob_url, s3=settings.blob_s3)


def blob_store_from_url(url: str, *, s3: BlobS3Settings | None = None) -> BlobStore:
    """The store a url names: ``s3://bucket/prefix``, ``file:///abs/dir`` or a plain
    directory path. ``s3`` configures an S3 store (defaults, and the environment, if None).

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
        # Imported here: services on the local store never load boto3.
        from docflow_runtime.blobstore.s3 import s3_blob_store  # noqa: PLC0415

        return s3_blob_store(url, s3 or BlobS3Settings())
    raise UnsupportedBlobUrlError(
        f"unsupported blob store url scheme {scheme!r}; expected s3://bucket/prefix, "
        "file:///absolute/dir or a directory path"
    )


def _directory_from_file_url(url: str) -> Path:
    path = path_from_file_url(url)
    if path is None:
        raise UnsupportedBlobUrlError(
            "a file:// blob store url must name an absolute local directory (file:///dir)"
        )
    return path
