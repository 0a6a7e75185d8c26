"""The boto3 S3 client the settings describe."""

from typing import TYPE_CHECKING, Literal

import boto3
from botocore.config import Config

from docflow_runtime.settings import BlobS3Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def s3_client(settings: BlobS3Settings) -> "S3Client":
    """A client safe to share between threads (one per store, its own session).

    With no ``endpoint_url`` setting botocore itself reads ``AWS_ENDPOINT_URL_S3`` and
    ``AWS_ENDPOINT_URL``, so S3-compatible stores work without docflow knowing of them.
    """
    session = boto3.session.Session()
    return session.client(
        "s3",
        endpoint_url=settings.endpoint_url,
        region_name=settings.region,
        config=client_config(settings),
    )


def client_config(settings: BlobS3Settings) -> Config:
    # Checksums are computed by docflow and sent when enabled; botocore must not add its own
    # (CRC32 by default since 1.36), which some S3-compatible stores reject.
    checksums: Literal["when_supported", "when_required"] = (
        "when_supported" if settings.checksums else "when_required"
    )
    return Config(
        retries={"mode": settings.retry_mode, "total_max_attempts": settings.max_attempts},
        s3={"addressing_style": "path" if settings.path_style else "auto"},
        connect_timeout=settings.connect_timeout_seconds,
        read_timeout=settings.read_timeout_seconds,
        max_pool_connections=settings.max_connections,
        request_checksum_calculation="when_required",
        response_checksum_validation=checksums,
    )
