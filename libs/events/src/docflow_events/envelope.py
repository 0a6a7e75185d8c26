"""The CloudEvents envelope around an event's data."""

from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.base import EventData

D = TypeVar("D", bound=EventData)


class Envelope(BaseModel, Generic[D]):
    """One CloudEvent: context attributes plus typed data.

    ``subject`` is the document id and doubles as the Kafka message key, so every event of a
    document lands on one partition in order.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    source: str = Field(min_length=1, description="URI-reference of the producer: /docflow/<stage>")
    type: str
    time: datetime
    subject: str
    tenant: str
    traceparent: str | None = None
    data: D

    @classmethod
    def wrap(
        cls, data: D, *, id: str, source: str, traceparent: str | None = None
    ) -> "Envelope[D]":
        """Envelope ``data``; type, subject and tenant come from the data itself."""
        return cls(
            id=id,
            source=source,
            type=data.event_type,
            time=datetime.now(UTC),
            subject=data.document_id,
            tenant=data.tenant,
            traceparent=traceparent,
            data=data,
        )
