"""Textract's failures, sorted into what a retry can fix and what it cannot."""

import contextlib
import re
from collections.abc import Iterator
from typing import Final

from botocore.exceptions import BotoCoreError, ClientError

from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError

#: The document itself is the problem: the same bytes will fail the same way every time.
REJECTED_CODES: Final = frozenset(
    {
        "InvalidParameterException",
        "UnsupportedDocumentException",
        "BadDocumentException",
        "DocumentTooLargeException",
    }
)
#: Textract is busy or briefly broken. boto3 has already retried these within the call.
BUSY_CODES: Final = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "LimitExceededException",
        "InternalServerError",
        "ServiceUnavailableException",
    }
)
_MAX_REASON = 300
_S3_URL = re.compile(r"s3://\S+")


class TextractBusyError(ExtractionFailedError):
    """Textract throttled or failed the call even after boto3's own retries."""


class TextractJobPendingError(ExtractionFailedError):
    """An async job outlived the wait; the retry asks about the same job again."""


@contextlib.contextmanager
def textract_call(operation: str) -> Iterator[None]:
    """Translate what boto3 raises inside the block into docflow's transient and permanent."""
    try:
        yield
    except ClientError as error:
        raise classified(operation, error) from None
    except BotoCoreError as error:
        # Connection, timeout and credential errors: the message of these names no secrets,
        # but the class is enough and stays short.
        raise ExtractionFailedError(
            f"textract {operation} failed: {type(error).__name__}"
        ) from None


def classified(operation: str, error: ClientError) -> Exception:
    code = str(error.response.get("Error", {}).get("Code", "Unknown"))
    reason = public_reason(str(error.response.get("Error", {}).get("Message", "")))
    if code in REJECTED_CODES:
        return DocumentRejectedError(f"Textract refused the document ({code}): {reason}")
    if code == "IdempotentParameterMismatchException":
        # The run's job was started with other settings (feature types changed since): its
        # token can never start another, while a reprocess is a new run with a new token.
        return DocumentRejectedError(
            "the Textract job of this run was started with other settings; reprocess the document"
        )
    if code in BUSY_CODES:
        return TextractBusyError(f"textract {operation}: {code}, still after retries")
    return ExtractionFailedError(f"textract {operation} failed ({code}): {reason}")


def public_reason(message: str) -> str:
    """Textract's own words, without object locations, bounded in length."""
    cleaned = _S3_URL.sub("s3://…", " ".join(message.split()))
    return cleaned[:_MAX_REASON] or "no reason given"
