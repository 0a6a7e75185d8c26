"""What goes wrong talking to S3, as errors a stage can act on.

botocore has already retried throttling, 5xx answers and broken connections (the retry mode
and attempts are settings) before any of these is raised. Messages name the bucket and the
object key, an S3 error code and the operation; never credentials, endpoints or reprs.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    FlexibleChecksumError,
    HTTPClientError,
    IncompleteReadError,
    NoCredentialsError,
    PartialCredentialsError,
)

from docflow_runtime.blobstore.base import BlobNotFoundError, BlobStoreError
from docflow_runtime.errors import TransientError

_NOT_FOUND: Final = frozenset({"NoSuchKey", "404", "NotFound"})
_DENIED: Final = frozenset(
    {
        "AccessDenied",
        "403",
        "Forbidden",
        "AllAccessDisabled",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "InvalidToken",
        "KMS.AccessDeniedException",
        "KMS.DisabledException",
    }
)
_UNAVAILABLE: Final = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "ServiceUnavailable",
        "InternalError",
        "RequestTimeout",
        "ConditionalRequestConflict",
        "OperationAborted",
    }
)


class S3BucketNotFoundError(BlobStoreError):
    """The configured bucket does not exist (or is not in the configured region).

    Not permanent: the fix is in the deployment, so the runtime retries and its circuit
    breaker holds the backlog in Kafka instead of dead-lettering every document."""

    def __init__(self, bucket: str) -> None:
        super().__init__(f"S3 bucket {bucket!r} of DOCFLOW_BLOB_URL does not exist")
        self.bucket = bucket


class S3AccessDeniedError(BlobStoreError):
    """S3 refused the request: a missing IAM permission, a KMS key policy, bad credentials.

    Retried like any store failure (a policy may be fixed while events wait); the message
    says which action on which object, so the policy can be fixed."""

    def __init__(self, bucket: str, object_key: str, operation: str, code: str) -> None:
        super().__init__(
            f"S3 denied {operation} on s3://{bucket}/{object_key} ({code}): check the IAM "
            "policy of the service's credentials and, with SSE-KMS, the key policy"
        )
        self.bucket = bucket
        self.object_key = object_key
        self.operation = operation
        self.code = code


class S3UnavailableError(BlobStoreError, TransientError):
    """S3 throttled, failed or could not be reached, and botocore's retries ran out."""


class S3CredentialsError(BlobStoreError):
    """boto3 found no usable AWS credentials."""


@dataclass(frozen=True)
class ObjectName:
    """A blob as errors name it: its key and url in the store (what
    :class:`BlobNotFoundError` names), and its bucket and S3 key (what access errors name)."""

    bucket: str
    object_key: str
    key: str
    url: str


@contextmanager
def s3_errors(name: ObjectName, operation: str) -> Iterator[None]:
    """Turn botocore's exceptions raised inside the block into docflow's blob store errors."""
    try:
        yield
    except ClientError as exc:
        raise _from_client_error(exc, name, operation) from exc
    except BotoCoreError as exc:
        raise from_botocore_error(exc, name.key, operation) from exc


def error_code(exc: ClientError) -> str:
    """S3's error code, or the HTTP status for answers without a body (HEAD)."""
    code = exc.response.get("Error", {}).get("Code")
    if code:
        return str(code)
    return str(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "unknown"))


def _from_client_error(exc: ClientError, name: ObjectName, operation: str) -> BlobStoreError:
    code, key = error_code(exc), name.key
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if code in _NOT_FOUND:
        return BlobNotFoundError(key, name.url)
    if code == "NoSuchBucket":
        return S3BucketNotFoundError(name.bucket)
    if code in _DENIED:
        return S3AccessDeniedError(name.bucket, name.object_key, operation, code)
    if code in _UNAVAILABLE or status >= 500:
        return S3UnavailableError(f"S3 {operation} of blob {key} failed: {code}, retries ran out")
    return BlobStoreError(f"S3 {operation} of blob {key} failed: {code}")


def from_botocore_error(exc: BotoCoreError, key: str, operation: str) -> BlobStoreError:
    """A failure before or while S3 answered: connections, timeouts, streams, credentials."""
    kind = type(exc).__name__
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return S3CredentialsError(f"S3 {operation} of blob {key}: no usable AWS credentials")
    if isinstance(exc, FlexibleChecksumError):
        # The object arrived damaged; another read may not be.
        return S3UnavailableError(f"S3 {operation} of blob {key}: checksum mismatch in transit")
    if isinstance(exc, ConnectionError | HTTPClientError | IncompleteReadError):
        return S3UnavailableError(f"S3 {operation} of blob {key} failed: {kind}")
    return BlobStoreError(f"S3 {operation} of blob {key} failed: {kind}")
