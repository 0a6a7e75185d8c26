"""Where an async job reads its document: the blob's own S3 object, or a staged copy."""

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import structlog
from botocore.exceptions import BotoCoreError, ClientError
from mypy_boto3_s3 import S3Client
from mypy_boto3_textract.type_defs import DocumentLocationTypeDef
from pydantic import BaseModel, ConfigDict, Field

from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.textract.errors import TextractJobPendingError

log = structlog.get_logger(__name__)


class S3Object(BaseModel):
    model_config = ConfigDict(frozen=True)

    bucket: str = Field(min_length=1)
    key: str = Field(min_length=1)

    def location(self) -> DocumentLocationTypeDef:
        return {"S3Object": {"Bucket": self.bucket, "Name": self.key}}


def s3_object(url: str) -> S3Object | None:
    """The object an ``s3://bucket/key`` url names; None for any other url."""
    parts = urlsplit(url)
    key = parts.path.lstrip("/")
    if parts.scheme != "s3" or not parts.netloc or not key:
        return None
    return S3Object(bucket=parts.netloc, key=key)


class Staging:
    """Copies documents to a bucket Textract can read, for as long as their job needs them."""

    def __init__(self, s3: S3Client | None, bucket: str | None, prefix: str) -> None:
        self._s3 = s3
        self._bucket = bucket
        self._prefix = prefix

    @contextlib.contextmanager
    def staged(self, name: str, content: bytes) -> Iterator[S3Object]:
        """The staged copy of ``content`` while the block runs; removed afterwards unless the
        job is still running (its retry starts no new job, and the job may still read it)."""
        if self._s3 is None or self._bucket is None:
            raise DocumentRejectedError(
                "multi-page and large documents need an S3 location for Textract and no "
                "staging bucket is configured (DOCFLOW_TEXTRACT_STAGING_BUCKET)"
            )
        target = S3Object(bucket=self._bucket, key=f"{self._prefix}{name}")
        _put(self._s3, target, content)
        keep = False
        try:
            yield target
        except TextractJobPendingError:
            keep = True
            raise
        finally:
            if not keep:
                _delete(self._s3, target)


def _put(s3: S3Client, target: S3Object, content: bytes) -> None:
    try:
        s3.put_object(Bucket=target.bucket, Key=target.key, Body=content)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        raise ExtractionFailedError(f"staging the document in S3 failed ({code})") from None
    except BotoCoreError as error:
        raise ExtractionFailedError(
            f"staging the document in S3 failed: {type(error).__name__}"
        ) from None


def _delete(s3: S3Client, target: S3Object) -> None:
    try:
        s3.delete_object(Bucket=target.bucket, Key=target.key)
    except (ClientError, BotoCoreError) as error:
        # The extraction itself succeeded or failed on its own; a copy left behind is
        # removed by the bucket's lifecycle rule (docs/backends/textract.md).
        log.warning("staged copy not deleted", error=type(error).__name__)
