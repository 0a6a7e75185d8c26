"""A blob store in an S3 bucket (or an S3-compatible store), addressed by ``s3://`` urls."""

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, BinaryIO

from docflow_events.v1.common import BlobRef
from docflow_runtime.blobstore.base import (
    BlobNotFoundError,
    BlobStore,
    StreamDigest,
    iter_chunks,
)
from docflow_runtime.blobstore.s3.errors import s3_errors
from docflow_runtime.blobstore.s3.location import S3Location
from docflow_runtime.blobstore.s3.reader import blob_stream
from docflow_runtime.blobstore.s3.upload import UploadOptions, UploadTarget, upload

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class S3BlobStore(BlobStore):
    """Blobs as objects under ``s3://bucket/prefix/``.

    S3 makes a PutObject or a completed multipart upload visible whole, so a reader sees the
    old blob or the new one, never part of a write; an upload that fails is aborted. The
    blob's sha256 is computed by docflow while it streams, so references are checked the same
    way on every S3-compatible store, whatever checksums it keeps.
    """

    def __init__(self, location: S3Location, client: "S3Client", options: UploadOptions) -> None:
        self._location = location
        self._client = client
        self._options = options

    @property
    def location(self) -> S3Location:
        return self._location

    def __repr__(self) -> str:
        return f"S3BlobStore({self._location.root!r})"

    def put(
        self,
        key: str,
        chunks: Iterable[bytes] | BinaryIO,
        *,
        max_size: int | None = None,
        keep_existing: bool = False,
    ) -> BlobRef:
        object_key = self._location.object_key(key)
        url = self._location.url(key)
        if keep_existing and self.exists(url):
            return self._describe(url)
        digest = StreamDigest(max_size)
        target = UploadTarget(
            self._client, self._location.bucket, object_key, self._options, keep_existing
        )
        with self._errors(key, "PutObject"):
            written = upload(target, iter_chunks(chunks), digest)
        return digest.ref(url) if written else self._describe(url)

    def open(self, url: str) -> BinaryIO:
        key = self._location.key_of(url)
        extra: dict[str, Any] = {"ChecksumMode": "ENABLED"} if self._options.checksums else {}
        with self._errors(key, "GetObject"):
            answer = self._client.get_object(
                Bucket=self._location.bucket, Key=self._location.object_key(key), **extra
            )
        return blob_stream(answer["Body"], key)

    def url_of(self, key: str) -> str:
        return self._location.url(key)

    def key_of(self, url: str) -> str:
        return self._location.key_of(url)

    def exists(self, url: str) -> bool:
        key = self._location.key_of(url)
        try:
            with self._errors(key, "HeadObject"):
                self._client.head_object(
                    Bucket=self._location.bucket, Key=self._location.object_key(key)
                )
        except BlobNotFoundError:
            return False
        return True

    def delete(self, url: str) -> None:
        # S3 answers a delete of a missing object with success: nothing to special-case.
        key = self._location.key_of(url)
        with self._errors(key, "DeleteObject"):
            self._client.delete_object(
                Bucket=self._location.bucket, Key=self._location.object_key(key)
            )

    def _describe(self, url: str) -> BlobRef:
        """The reference of the blob stored at ``url``, from its content."""
        digest = StreamDigest()
        with self.open(url) as stream:
            for chunk in iter_chunks(stream):
                digest.update(chunk)
        return digest.ref(url)

    def _errors(self, key: str, operation: str) -> AbstractContextManager[None]:
        return s3_errors(self._location.name_of(key), operation)
