"""Errors extraction backends raise."""

from docflow_runtime.errors import ConfigurationError, PermanentError, TransientError


class DocumentRejectedError(PermanentError):
    """The document can never be extracted; ``reason`` says why in words a user can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BackendUnavailableError(ConfigurationError):
    """The configured backend cannot run here (not implemented, or missing resources)."""


class ExtractionFailedError(TransientError):
    """The backend failed for a reason unrelated to the document; the next try may work."""
