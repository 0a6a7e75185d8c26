"""Which model reads which CloudEvents type."""

from pydantic import BaseModel

from docflow_events import v1
from docflow_events.base import EventData
from docflow_events.errors import UnknownEventTypeError

#: type name -> model, for every version a reader must still understand.
EVENT_TYPES: dict[str, type[EventData]] = {model.event_type: model for model in v1.MODELS}

#: The blobs the claim checks point at are a contract between stages too.
RESULT_TYPES: dict[str, type[BaseModel]] = {
    "io.docflow.extraction.result.v1": v1.ExtractionResult,
    "io.docflow.enrichment.result.v1": v1.EnrichmentResult,
}


def schema_models() -> dict[str, type[BaseModel]]:
    """Everything whose JSON Schema is committed and guarded against incompatible change."""
    return {**EVENT_TYPES, **RESULT_TYPES}


def model_for(event_type: str) -> type[EventData]:
    try:
        return EVENT_TYPES[event_type]
    except KeyError:
        raise UnknownEventTypeError(event_type) from None
