"""Which model reads which CloudEvents type."""

from docflow_events import v1
from docflow_events.base import EventData
from docflow_events.errors import UnknownEventTypeError

#: type name -> model, for every version a reader must still understand.
EVENT_TYPES: dict[str, type[EventData]] = {model.event_type: model for model in v1.MODELS}


def model_for(event_type: str) -> type[EventData]:
    try:
        return EVENT_TYPES[event_type]
    except KeyError:
        raise UnknownEventTypeError(event_type) from None
