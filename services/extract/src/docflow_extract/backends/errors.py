"""Errors extraction backends raise."""

from docflow_runtime.errors import ConfigurationError, PermanentError


class DocumentRejectedError(PermanentError):
    """The document can never be extracted; ``reason`` says why in words a user can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __reduce__(self) -> tuple[type["DocumentRejectedError"], tuple[str]]:
        return (type(self), (self.reason,))


class BackendUnavailableError(ConfigurationError):
    """The configured backend cannot run here (not implemented, or missing resources)."""


class ExtractionFailedError(Exception):
    """The backend failed for a reason unrelated to the document; the next try may work."""
