"""docflow-events: the versioned event contract between docflow's stages."""

from docflow_events.base import EventData
from docflow_events.envelope import Envelope
from docflow_events.errors import (
    EventDecodeError,
    InvalidPayloadError,
    MissingHeaderError,
    UnknownEventTypeError,
    UnsupportedContentTypeError,
    UnsupportedSpecVersionError,
)
from docflow_events.kafka import KafkaRecord, from_kafka, to_kafka
from docflow_events.registry import EVENT_TYPES, model_for
from docflow_events.topics import StageName, Topic, all_topics, consumer_group, dead_letter_topic

__version__ = "1.3.0"

__all__ = [
    "EVENT_TYPES",
    "Envelope",
    "EventData",
    "EventDecodeError",
    "InvalidPayloadError",
    "KafkaRecord",
    "MissingHeaderError",
    "StageName",
    "Topic",
    "UnknownEventTypeError",
    "UnsupportedContentTypeError",
    "UnsupportedSpecVersionError",
    "__version__",
    "all_topics",
    "consumer_group",
    "dead_letter_topic",
    "from_kafka",
    "model_for",
    "to_kafka",
]
