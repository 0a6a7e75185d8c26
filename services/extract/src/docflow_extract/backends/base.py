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
    split_attachments: bool = Field(
        default=True,
        description="Split a message's attachments off; false for a message that is itself an "
        "attachment (its parent's split went through it already)",
    )


class Attachment(BaseModel):
    """A file attached to a message, to become a document of its own."""

    # Base64 in JSON: attachments come out of a parser child as JSON, never as pickles.
    model_config = ConfigDict(frozen=True, ser_json_bytes="base64", val_json_bytes="base64")

    filename: str | None = Field(description="Cleaned: no path, no control characters")
    media_type: str = Field(description="Sniffed from the content as ingest sniffs uploads")
    content: bytes
    parent: int | None = Field(
        default=None,
        ge=0,
        description="Index (in the same list) of the attached message holding this one; none "
        "for an attachment of the document itself",
    )


class Extraction(BaseModel):
    """What extracting a document yields: its result, and the attachments split off it."""

    model_config = ConfigDict(frozen=True)

    result: ExtractionResult
    attachments: list[Attachment] = Field(default_factory=list)


class ExtractionBackend(ABC):
    """Turns a document into text, tables and key-values.

    Raise :class:`~docflow_extract.backends.errors.DocumentRejectedError` for a document that
    can never be extracted; any other exception is treated as worth retrying.
    """

    name: ClassVar[str]

    @abstractmethod
    def extract(self, request: ExtractionRequest) -> ExtractionResult: ...

    def extract_with_attachments(self, request: ExtractionRequest) -> Extraction:
        """The result and the attachments split off the document; a backend that does not
        split messages splits off none."""
        return Extraction(result=self.extract(request))

    def close(self) -> None:  # noqa: B027 - backends without resources need not override
        """Release processes, clients or files the backend holds."""
