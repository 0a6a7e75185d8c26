"""What a handler raises to tell the runtime how to treat a failure.

* :class:`PermanentError`: retrying cannot help (bad input, unsupported format). The event goes
  to the stage's dead-letter topic at once and the document is marked failed.
* :class:`TransientError`: the next attempt may succeed (throttling, timeouts, 5xx). Retried
  with backoff, then dead-lettered when the attempts run out.

Any other exception is treated as transient: a bug then costs a few retries before its event
is dead-lettered, instead of losing the event on the first try.
"""


class ConfigurationError(Exception):
    """Settings that cannot work (an unknown backend, a malformed rule pack, an unsupported
    url). Raised while a stage is built; the process exits with status 2 and the message."""


class PermanentError(Exception):
    """Retrying this event cannot succeed."""


class TransientError(Exception):
    """This attempt failed for a reason that may pass; ``retry_after`` overrides the backoff."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
