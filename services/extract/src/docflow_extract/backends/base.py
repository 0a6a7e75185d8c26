"""The interface every extraction backend implements."""

from abc import ABC, abstractmethod
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import BlobRef, ExtractionResult


class ExtractionRequest(BaseModel):
    """One document to extract: its id, the media type ingest sniffed, and its bytes.

    ``source`` (where the bytes are stored), ``run`` and ``document_type_hint`` are for
    backends that read documents where they lie or must tell one run from another.
    """

    model_config = ConfigDict(frozen=True)

    document_id: str = Field(min_length=1)
    media_type: str
    content: bytes
    source: BlobRef | None = None
    run: int = Field(default=1, ge=1)
    document_type_hint: str | None = None


class ExtractionBackend(ABC):
    """Turns a document into text, tables and key-values.

    Raise :class:`~docflow_extract.backends.errors.DocumentRejectedError` for a document that
    can never be extracted; any other exception is treated as worth retrying.
    """

    name: ClassVar[str]

    @abstractmethod
    def extract(self, request: ExtractionRequest) -> ExtractionResult: ...

    def close(self) -> None:  # noqa: B027 - backends without resources need not override
        """Release processes, clients or files the backend holds."""
