"""The boto3 clients the backend uses, configured from the extract settings.

Endpoints and credentials are boto3's business (``AWS_ENDPOINT_URL_TEXTRACT``, profiles, roles):
nothing here overrides them, so the same code runs against AWS and against a test server.
"""

import boto3
from botocore.config import Config
from botocore.exceptions import NoRegionError
from mypy_boto3_s3 import S3Client
from mypy_boto3_textract import TextractClient

from docflow_extract.backends.errors import BackendUnavailableError
from docflow_extract.settings import ExtractSettings

_USER_AGENT = "docflow-extract"
_NO_REGION = "the textract backend needs an AWS region: set DOCFLOW_TEXTRACT_REGION or AWS_REGION"


def client_config(settings: ExtractSettings) -> Config:
    return Config(
        region_name=settings.textract_region,
        retries={
            "mode": settings.textract_retry_mode,
            "total_max_attempts": settings.textract_max_attempts,
        },
        connect_timeout=settings.textract_connect_timeout_seconds,
        read_timeout=settings.textract_read_timeout_seconds,
        user_agent_extra=_USER_AGENT,
    )


def textract_client(settings: ExtractSettings) -> TextractClient:
    try:
        return boto3.session.Session().client("textract", config=client_config(settings))
    except NoRegionError:
        raise BackendUnavailableError(_NO_REGION) from None


def s3_client(settings: ExtractSettings) -> S3Client:
    # Textract reads S3 objects in its own region only, so the staging client shares it.
    try:
        return boto3.session.Session().client("s3", config=client_config(settings))
    except NoRegionError:
        raise BackendUnavailableError(_NO_REGION) from None
