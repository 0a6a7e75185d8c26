"""Where a store's blobs are in S3: ``s3://bucket/prefix``, and the urls of its blobs."""

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from docflow_runtime.blobstore.base import (
    ForeignBlobUrlError,
    UnsupportedBlobUrlError,
    key_problem,
    validate_key,
)
from docflow_runtime.blobstore.s3.errors import ObjectName

# S3's rules for new buckets: 3-63 lowercase letters, digits, dots and hyphens.
_BUCKET: Final = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_URL_FORM: Final = "s3://bucket or s3://bucket/prefix"


@dataclass(frozen=True)
class S3Location:
    """A bucket and an optional key prefix (no leading or trailing slash)."""

    bucket: str
    prefix: str = ""

    def __post_init__(self) -> None:
        if not _BUCKET.fullmatch(self.bucket) or ".." in self.bucket:
            raise UnsupportedBlobUrlError(f"not a valid S3 bucket name; expected {_URL_FORM}")
        if self.prefix and key_problem(self.prefix):
            raise UnsupportedBlobUrlError(
                f"the S3 key prefix must be /-separated segments of A-Z a-z 0-9 . _ - "
                f"(no empty or dot segments); expected {_URL_FORM}"
            )

    @classmethod
    def from_url(cls, url: str) -> "S3Location":
        """Parse the configured url; errors never echo it (it could hold credentials)."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "s3" or parts.query or parts.fragment:
            raise UnsupportedBlobUrlError(f"an S3 blob store url has the form {_URL_FORM}")
        if "@" in parts.netloc or ":" in parts.netloc:
            raise UnsupportedBlobUrlError(
                f"an S3 blob store url names no credentials and no port ({_URL_FORM}); "
                "boto3 finds credentials, DOCFLOW_BLOB_S3_ENDPOINT_URL names the endpoint"
            )
        return cls(parts.netloc, parts.path.strip("/"))

    @property
    def root(self) -> str:
        """The url every blob url of this store starts with, ending in a slash."""
        return f"s3://{self.bucket}/{self.prefix}/" if self.prefix else f"s3://{self.bucket}/"

    def object_key(self, key: str) -> str:
        """The S3 key of the blob ``key``: never a leading slash, the prefix in front."""
        validate_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def url(self, key: str) -> str:
        return f"{self.root}{validate_key(key)}"

    def name_of(self, key: str) -> ObjectName:
        return ObjectName(self.bucket, self.object_key(key), key, self.url(key))

    def key_of(self, url: str) -> str:
        """The key of a url of this store; anything else is a :class:`ForeignBlobUrlError`.

        Only canonical urls are accepted, compared as text: no percent-escapes, dot segments,
        query or fragment can make one url name another blob."""
        if not url.startswith(self.root):
            raise ForeignBlobUrlError(url)
        key = url[len(self.root) :]
        if key_problem(key):
            raise ForeignBlobUrlError(url)
        return key
