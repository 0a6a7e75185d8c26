"""Wrapping the events ingest emits: a new event id and a new trace per request."""

import uuid
from typing import Final, TypeVar

from docflow_events import Envelope, EventData
from docflow_events.traceparent import new_traceparent

SOURCE: Final = "/docflow/ingest"

D = TypeVar("D", bound=EventData)


def envelope(data: D) -> Envelope[D]:
    """Every request ingest answers starts a trace of its own: it is where a document enters."""
    return Envelope[D].wrap(
        data, id=str(uuid.uuid4()), source=SOURCE, traceparent=new_traceparent()
    )
