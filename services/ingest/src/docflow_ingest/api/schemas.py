"""What the API takes and answers, field by field (the OpenAPI document is built from these)."""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from docflow_events.doctypes import DOCUMENT_TYPES, known_type
from docflow_events.v1 import Finding
from docflow_events.v1.results import Entities
from docflow_ingest.core.options import OptionName
from docflow_results.models import (
    ChildDocument,
    Document,
    DocumentStatus,
    StageError,
    TimelineEntry,
)
from docflow_runtime.blobstore.base import validation_problems

MAX_COMMENT_LENGTH = 4000


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class _DocumentOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    document_type: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description=f"A type hint, one of: {', '.join(DOCUMENT_TYPES)}",
    )
    callback_url: HttpUrl | None = Field(default=None, description="http or https only")
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("document_type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        """A hint is a type the pipeline knows; the answer lists them, never the input."""
        if value is None:
            return None
        known = known_type(value)
        if known is None:
            raise ValueError(f"names no known document type; known: {', '.join(DOCUMENT_TYPES)}")
        return known

    def given(self) -> dict[OptionName, Any]:
        """The options the request set, with the values the results store keeps."""
        values: dict[OptionName, Any] = {
            "document_type": self.document_type,
            "callback_url": str(self.callback_url) if self.callback_url else None,
            "metadata": self.metadata,
        }
        return {name: value for name, value in values.items() if name in self.model_fields_set}


class UploadOptions(_DocumentOptions):
    """The optional fields beside an upload (multipart fields, or query parameters)."""

    @field_validator("metadata", mode="before")
    @classmethod
    def _json_object(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ValueError("metadata must be a JSON object") from None


class ReprocessOptions(_DocumentOptions):
    """Options for the new run: those given replace the document's own (``null`` clears
    ``document_type`` or ``callback_url``; ``metadata`` is replaced whole); those left out stay."""


class DocumentAccepted(_Answer):
    id: str
    status: DocumentStatus
    status_url: str


class UploadAccepted(DocumentAccepted):
    duplicate_of_existing: bool = Field(
        description="The tenant already had this content (or Idempotency-Key): the answer is "
        "that document, which keeps its own options"
    )
    options_not_applied: list[OptionName] = Field(
        description="Options given with this upload that differ from the existing document's "
        "and were not applied; reprocess the document with them to apply them"
    )


class DocumentSummary(_Answer):
    id: str
    status: DocumentStatus
    run: int = Field(description="1 for the upload, one more for each reprocess")
    filename: str | None
    media_type: str
    created_at: datetime
    updated_at: datetime
    error: StageError | None
    parent_id: str | None = Field(
        default=None, description="The e-mail message this document is an attachment of"
    )

    @classmethod
    def of(cls, document: Document) -> Self:
        """The fields of ``document`` this answer (or a subclass of it) shows."""
        return cls.model_validate(document.model_dump(include=set(cls.model_fields)))


class ParentLink(_Answer):
    id: str
    status_url: str


class ChildLink(_Answer):
    id: str
    filename: str | None
    media_type: str
    status: DocumentStatus
    status_url: str


class DocumentView(DocumentSummary):
    result: dict[str, Any] | None = Field(description="The final record, once stored")
    parent: ParentLink | None = Field(
        default=None, description="The e-mail message this document is an attachment of"
    )
    children: list[ChildLink] = Field(
        default_factory=list,
        description="The attachments split off this e-mail message, each a document of its "
        "own, in the order of the message",
    )

    @classmethod
    def linked(
        cls, document: Document, children: list[ChildDocument], url_of: Callable[[str], str]
    ) -> Self:
        """``document`` with its parent and its children, each with its status url."""
        parent = document.parent_id
        links = [
            ChildLink(
                **child.model_dump(include=set(ChildLink.model_fields)), status_url=url_of(child.id)
            )
            for child in children
        ]
        view = cls.of(document)
        return view.model_copy(update={
            "parent": None if parent is None else ParentLink(id=parent, status_url=url_of(parent)),
            "children": links,
        })  # fmt: skip


class DocumentList(_Answer):
    items: list[DocumentSummary]
    next_cursor: str | None = Field(description="Pass as cursor to get the next page")


class Timeline(_Answer):
    id: str
    events: list[TimelineEntry]


class ReviewItem(_Answer):
    id: str
    filename: str | None
    media_type: str
    created_at: datetime
    updated_at: datetime
    document_type: str
    rule_pack: str
    findings: list[Finding]
    decision_claimed: bool = Field(
        description="A decision is already claimed: the document leaves review once the "
        "pipeline has it, and another decision answers 409 (the review page leaves it out)"
    )


class ReviewList(_Answer):
    items: list[ReviewItem]
    next_cursor: str | None


class ReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    decision: Literal["approve", "reject"]
    corrections: dict[str, Any] = Field(
        default_factory=dict, description="Corrected field values, applied when approved"
    )
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_LENGTH)
    reviewer: str | None = Field(
        default=None, min_length=1, max_length=128, description="Defaults to the tenant"
    )

    @field_validator("corrections")
    @classmethod
    def _fit_the_entities(cls, value: dict[str, Any]) -> dict[str, Any]:
        """A correction of an entity field must fit it: refused here (422), not by enrich
        after the decision is made, where it would fail the document."""
        known = {name: v for name, v in value.items() if name in Entities.model_fields}
        try:
            Entities.model_validate(known)
        except ValidationError as exc:
            raise ValueError(f"corrections do not fit: {validation_problems(exc)}") from None
        return value


class ReviewAccepted(_Answer):
    id: str
    decision: Literal["approved", "rejected"]
    status_url: str
