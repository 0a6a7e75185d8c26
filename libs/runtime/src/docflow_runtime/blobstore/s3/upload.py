"""Streaming writes to S3: one PutObject up to a threshold, a multipart upload above it.

Content is hashed (sha256, for the blob's reference) and counted against the size limit as it
arrives, and held only a part at a time. A multipart upload that does not complete, for any
reason (the size limit, a failing source, S3, an interrupt), is aborted: S3 would otherwise
keep, and bill, its parts.
"""

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from docflow_runtime.blobstore.base import StreamDigest
from docflow_runtime.blobstore.s3.errors import error_code
from docflow_runtime.logging import get_logger
from docflow_runtime.settings import BlobS3Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

MiB = 1024 * 1024
_PRECONDITION_FAILED = frozenset({"PreconditionFailed", "412"})
log = get_logger(__name__)


@dataclass(frozen=True)
class UploadOptions:
    """What every write sends: encryption, checksums, the multipart sizes."""

    threshold: int
    part_size: int
    checksums: bool
    encryption: dict[str, Any]

    @classmethod
    def from_settings(cls, settings: BlobS3Settings) -> "UploadOptions":
        encryption: dict[str, Any] = {}
        if settings.sse != "none":
            encryption["ServerSideEncryption"] = settings.sse
        if settings.kms_key_id:
            encryption["SSEKMSKeyId"] = settings.kms_key_id
        return cls(
            threshold=settings.multipart_threshold_mib * MiB,
            part_size=settings.multipart_part_size_mib * MiB,
            checksums=settings.checksums,
            encryption=encryption,
        )


@dataclass(frozen=True)
class UploadTarget:
    client: "S3Client"
    bucket: str
    object_key: str
    options: UploadOptions
    # If-None-Match: * makes S3 refuse (412) to replace an object that exists.
    only_if_absent: bool = False

    def conditions(self) -> dict[str, Any]:
        return {"IfNoneMatch": "*"} if self.only_if_absent else {}


def upload(target: UploadTarget, chunks: Iterator[bytes], digest: StreamDigest) -> bool:
    """Write ``chunks`` to ``target``; ``digest`` sees every byte, and its size limit raises
    before anything past the limit is sent. False when the target is ``only_if_absent`` and
    another write got there first (its content stays)."""
    try:
        _write(target, chunks, digest)
    except ClientError as exc:
        if target.only_if_absent and error_code(exc) in _PRECONDITION_FAILED:
            return False
        raise
    return True


def _write(target: UploadTarget, chunks: Iterator[bytes], digest: StreamDigest) -> None:
    buffer = bytearray()
    for chunk in chunks:
        digest.update(chunk)
        buffer += chunk
        if len(buffer) > target.options.threshold:
            _multipart(target, buffer, chunks, digest)
            return
    body = bytes(buffer)
    del buffer[:]  # one copy of the content during the upload, not two
    _put_object(target, body, bytes.fromhex(digest.sha256))


def _put_object(target: UploadTarget, body: bytes, sha256: bytes) -> None:
    checksum: dict[str, Any] = {"ChecksumSHA256": _b64(sha256)} if target.options.checksums else {}
    target.client.put_object(
        Bucket=target.bucket,
        Key=target.object_key,
        Body=body,
        **target.options.encryption,
        **checksum,
        **target.conditions(),
    )


def _multipart(
    target: UploadTarget, buffer: bytearray, chunks: Iterator[bytes], digest: StreamDigest
) -> None:
    checksum: dict[str, Any] = {"ChecksumAlgorithm": "SHA256"} if target.options.checksums else {}
    upload_id = target.client.create_multipart_upload(
        Bucket=target.bucket, Key=target.object_key, **target.options.encryption, **checksum
    )["UploadId"]
    try:
        parts = [
            _upload_part(target, upload_id, number, part)
            for number, part in enumerate(_parts(buffer, chunks, digest, target), start=1)
        ]
        target.client.complete_multipart_upload(
            Bucket=target.bucket,
            Key=target.object_key,
            UploadId=upload_id,
            MultipartUpload={"Parts": parts},
            **target.conditions(),
        )
    except BaseException:
        _abort(target, upload_id)
        raise


def _parts(
    buffer: bytearray, chunks: Iterator[bytes], digest: StreamDigest, target: UploadTarget
) -> Iterator[bytes]:
    """Parts of exactly the part size, then what remains (S3 allows a smaller last part)."""
    size = target.options.part_size
    while True:
        while len(buffer) >= size:
            yield _take(buffer, size)
        chunk = next(chunks, None)
        if chunk is None:
            break
        digest.update(chunk)
        buffer += chunk
    if buffer:
        yield _take(buffer, len(buffer))


def _take(buffer: bytearray, size: int) -> bytes:
    with memoryview(buffer) as view:
        part = bytes(view[:size])
    del buffer[:size]
    return part


def _upload_part(
    target: UploadTarget, upload_id: str, number: int, part: bytes
) -> "CompletedPartTypeDef":
    checksum: dict[str, Any] = {}
    if target.options.checksums:
        checksum["ChecksumSHA256"] = _b64(hashlib.sha256(part).digest())
    answer = target.client.upload_part(
        Bucket=target.bucket,
        Key=target.object_key,
        UploadId=upload_id,
        PartNumber=number,
        Body=part,
        **checksum,
    )
    completed: CompletedPartTypeDef = {"PartNumber": number, "ETag": answer["ETag"]}
    if target.options.checksums:
        # S3 checks each part's checksum again when the upload completes.
        completed["ChecksumSHA256"] = checksum["ChecksumSHA256"]
    return completed


def _abort(target: UploadTarget, upload_id: str) -> None:
    try:
        target.client.abort_multipart_upload(
            Bucket=target.bucket, Key=target.object_key, UploadId=upload_id
        )
    except Exception as exc:
        # The upload's own failure is what the caller needs; the bucket's
        # AbortIncompleteMultipartUpload lifecycle rule collects what is left.
        log.warning(
            "s3_multipart_abort_failed",
            bucket=target.bucket,
            object_key=target.object_key,
            error_class=type(exc).__name__,
        )


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")
