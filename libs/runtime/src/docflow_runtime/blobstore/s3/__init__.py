"""The blob store in S3 and S3-compatible stores (MinIO, Ceph, R2, ...): ``s3://bucket/prefix``.

Imported only when a url names it, so services on the local store never load boto3.
"""

from docflow_runtime.blobstore.s3.client import s3_client
from docflow_runtime.blobstore.s3.errors import (
    S3AccessDeniedError,
    S3BucketNotFoundError,
    S3CredentialsError,
    S3UnavailableError,
)
from docflow_runtime.blobstore.s3.location import S3Location
from docflow_runtime.blobstore.s3.store import S3BlobStore
from docflow_runtime.blobstore.s3.upload import UploadOptions
from docflow_runtime.settings import BlobS3Settings


def s3_blob_store(url: str, settings: BlobS3Settings) -> S3BlobStore:
    """The store ``s3://bucket/prefix`` names, with a client the settings describe."""
    return S3BlobStore(
        S3Location.from_url(url), s3_client(settings), UploadOptions.from_settings(settings)
    )


__all__ = [
    "S3AccessDeniedError",
    "S3BlobStore",
    "S3BucketNotFoundError",
    "S3CredentialsError",
    "S3Location",
    "S3UnavailableError",
    "UploadOptions",
    "s3_blob_store",
    "s3_client",
]
