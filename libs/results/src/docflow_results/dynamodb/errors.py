"""What the DynamoDB store raises, and how botocore's errors become those.

Stages retry a ``TransientError`` with backoff (and a run of them opens the circuit breaker),
so throttling, a service error or a lost connection becomes one; an item DynamoDB will never
take (over its size limit) is permanent. Messages carry the error code and the operation,
never the request, the endpoint or the credentials.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from docflow_runtime.errors import ConfigurationError, PermanentError, TransientError

#: Codes that mean "slow down": botocore's own retries have run out when one reaches us.
THROTTLING_CODES: Final = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "ProvisionedThroughputExceeded", "ThrottlingError",
})  # fmt: skip
#: Codes of a failure on DynamoDB's side that a later attempt may not meet.
_SERVICE_CODES: Final = frozenset({"InternalServerError", "ServiceUnavailable"})
_ACCESS_CODES: Final = frozenset({"AccessDeniedException", "UnrecognizedClientException"})
#: How long a throttled stage waits before its next attempt, over botocore's own backoff.
THROTTLED_RETRY_AFTER_SECONDS: Final = 1.0


class TableMissingError(ConfigurationError):
    """The table, or one of its indexes, does not exist (yet): ``docflow-migrate`` creates it."""


class AwsSetupError(ConfigurationError):
    """No region or no credentials in the AWS environment: nothing will work until set."""


class StoreAccessDeniedError(TransientError, ConfigurationError):
    """The credentials may not do this (IAM) or are not known. A configuration error at start;
    while running, transient: a policy being fixed should not dead-letter the backlog."""


class StoreThrottledError(TransientError):
    """DynamoDB asked us to slow down and botocore's retries did not get through."""


class StoreUnavailableError(TransientError):
    """DynamoDB did not answer, or failed on its side."""


class ItemTooLargeError(PermanentError):
    """A document, event or record over DynamoDB's 400 KB item limit: it can never be stored."""


class TableNotReadyError(TransientError):
    """The table or an index did not become active within the time allowed: run again."""


class StoreContentionError(TransientError):
    """Too many writers changed one document at once; the next attempt will get its turn."""


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_throttling(code: str) -> bool:
    return code in THROTTLING_CODES


@contextmanager
def translated(operation: str) -> Iterator[None]:
    """Raise this module's errors for botocore's (conditional-check failures pass through:
    callers expect them)."""
    try:
        yield
    except ClientError as error:
        mapped = _translate(operation, error)
        if mapped is None:
            raise
        raise mapped from error
    except (NoRegionError, NoCredentialsError, PartialCredentialsError) as error:
        raise AwsSetupError(
            f"DynamoDB {operation}: the AWS environment names no region or no credentials "
            "(AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, ...)"
        ) from error
    except (BotoConnectionError, HTTPClientError) as error:
        raise StoreUnavailableError(
            f"DynamoDB {operation}: no answer ({type(error).__name__})"
        ) from error
    except ParamValidationError:
        raise  # a request this code built wrong: a bug to see, not an outage
    except BotoCoreError as error:
        raise StoreUnavailableError(
            f"DynamoDB {operation} failed ({type(error).__name__})"
        ) from error


def _translate(operation: str, error: ClientError) -> Exception | None:
    code = error_code(error)
    if is_throttling(code):
        return StoreThrottledError(
            f"DynamoDB {operation} throttled ({code})", retry_after=THROTTLED_RETRY_AFTER_SECONDS
        )
    if code in _SERVICE_CODES:
        return StoreUnavailableError(f"DynamoDB {operation} failed on the service side ({code})")
    if code in _ACCESS_CODES:
        return StoreAccessDeniedError(
            f"DynamoDB {operation} refused ({code}): check the IAM policy of the service's role"
        )
    if code == "ResourceNotFoundException":
        return TableMissingError(
            "the DynamoDB results table or one of its indexes does not exist: run docflow-migrate"
        )
    if code == "ValidationException" and "size" in str(error).lower():
        return ItemTooLargeError(f"DynamoDB {operation}: an item exceeds the 400 KB limit")
    return None
