"""What an enrichment backend does: classify a document, find its entities, summarise it."""

from abc import ABC, abstractmethod

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import Classification, Cost
from docflow_events.v1.results import Entities, ExtractionResult


class Enrichment(BaseModel):
    """A backend's answer for one document."""

    model_config = ConfigDict(frozen=True)

    classification: Classification
    entities: Entities
    summary: str
    cost: Cost
    ungrounded: list[str] = Field(
        default_factory=list, description="Fields whose value the document does not hold"
    )
    fallback_from: str | None = Field(
        default=None, description="The model backend whose answers failed, when rules stood in"
    )


class EnrichmentBackend(ABC):
    """Turns an extraction result into an enrichment; must be safe to call from many threads."""

    name: str

    @abstractmethod
    def enrich(self, extraction: ExtractionResult, hint: str | None = None) -> Enrichment:
        """Enrich one document; ``hint`` is the document type the sender or validator named."""

    def close(self) -> None:  # noqa: B027 - optional hook, the local backend holds nothing
        """Release connections; called once when the stage stops."""
