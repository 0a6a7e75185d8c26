"""The base every event payload derives from."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.topics import Topic


class EventData(BaseModel):
    """The data of one CloudEvent; the subclass fixes its type name and topic.

    Unknown fields are ignored, so a reader keeps working when a newer producer adds optional
    fields (the compatible way to change a version).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[Topic]

    document_id: str = Field(min_length=1, max_length=128, description="The document this is about")
    tenant: str = Field(
        min_length=1, max_length=64, description="The tenant that owns the document"
    )
    run: int = Field(
        default=1,
        ge=1,
        description="Which processing of the document this event belongs to: 1 for the upload, "
        "one more for each reprocess. Events of an earlier run are ignored. Since 1.1; events "
        "without it are of run 1.",
    )
    timings: dict[str, float] = Field(
        default_factory=dict,
        description="Seconds each stage's handler spent on this run of the document so far, by "
        "stage name, carried from event to event. Since 1.1.",
    )
