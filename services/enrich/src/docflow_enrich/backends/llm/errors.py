"""How a model call fails, in the terms the stage runtime acts on.

* Throttling and an unavailable service pass: :class:`ModelThrottledError` and
  :class:`ModelUnavailableError` are transient (with the server's ``Retry-After`` when given).
* Denied access (a bad key, a missing IAM permission, a model not enabled or not served) is a
  configuration problem, but one found only when a document is handled. It is transient, not
  permanent: dead-lettering every document for a bad key would lose the backlog, while
  transient failures open the circuit breaker and the backlog waits in Kafka until the
  setting is fixed. It is logged at error level, naming the settings to check.
* An answer that stays unusable (truncated, not JSON, not of the schema, or a request the
  model refuses) is :class:`UnusableAnswerError`: the stage falls back to the local rules or
  sends the document to review. It is permanent for whoever else calls a backend.
"""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from docflow_events.v1 import Cost
from docflow_runtime.errors import ConfigurationError, PermanentError, TransientError


class ModelThrottledError(TransientError):
    """The model's service asked to slow down (429, ``ThrottlingException``)."""


class ModelUnavailableError(TransientError):
    """The model's service did not answer, or answered with a server error."""


class ModelAccessError(TransientError, ConfigurationError):
    """The model's service refused our credentials or does not serve the model."""


class UnusableAnswerError(PermanentError):
    """The model gave no usable answer for a document, its retry included.

    ``cost`` is what the failed calls cost: tokens are billed whether or not the answer was
    usable, so whatever stands in for the answer still reports them.
    """

    def __init__(self, reason: str, *, cost: Cost) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cost = cost


class ModelRefusedError(Exception):
    """The model's service refused this request as malformed or too large (HTTP 400,
    ``ValidationException``): the same request cannot succeed."""


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header's wait: seconds, or an HTTP date; None when absent or bad."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
