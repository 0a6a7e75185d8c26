"""Version 1 of the docflow event contract."""

from docflow_events.base import EventData
from docflow_events.v1.common import BlobRef, Classification, Cost, Finding
from docflow_events.v1.events import (
    DocumentFailed,
    DocumentReceived,
    DocumentStored,
    EnrichmentCompleted,
    ExtractionCompleted,
    ReviewDecided,
    ValidationFailed,
    ValidationPassed,
)
from docflow_events.v1.results import (
    Box,
    EnrichmentResult,
    Entities,
    ExtractionResult,
    KeyValue,
    Line,
    Money,
    Page,
    Table,
    Word,
)

#: Every v1 event model; the registry and the schema export read this list.
MODELS: tuple[type[EventData], ...] = (
    DocumentReceived,
    ExtractionCompleted,
    ValidationPassed,
    ValidationFailed,
    ReviewDecided,
    EnrichmentCompleted,
    DocumentStored,
    DocumentFailed,
)

__all__ = [
    "MODELS",
    "BlobRef",
    "Box",
    "Classification",
    "Cost",
    "DocumentFailed",
    "DocumentReceived",
    "DocumentStored",
    "EnrichmentCompleted",
    "EnrichmentResult",
    "Entities",
    "ExtractionCompleted",
    "ExtractionResult",
    "Finding",
    "KeyValue",
    "Line",
    "Money",
    "Page",
    "ReviewDecided",
    "Table",
    "ValidationFailed",
    "ValidationPassed",
    "Word",
]
