"""CloudEvents 1.0 Kafka protocol binding, binary content mode.

Attributes travel as ``ce_*`` headers, ``content-type`` names the data's media type, the value
is the data as JSON and the key is the document id. Decoding validates the attributes against
the CloudEvents spec and the data against the model of its type, and raises a precise
:class:`~docflow_events.errors.EventDecodeError` for anything wrong.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pydantic
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from docflow_events.base import EventData
from docflow_events.envelope import Envelope
from docflow_events.errors import (
    InvalidPayloadError,
    MissingHeaderError,
    UnsupportedContentTypeError,
    UnsupportedSpecVersionError,
)
from docflow_events.registry import model_for

CONTENT_TYPE = "application/json"
TENANT_EXTENSION = "docflowtenant"
TRACEPARENT_EXTENSION = "traceparent"
REQUIRED_HEADERS = ("ce_specversion", "ce_id", "ce_source", "ce_type")
_FORMAT = JSONFormat()

Headers = Sequence[tuple[str, bytes | None]]


@dataclass(frozen=True)
class KafkaRecord:
    """What a producer sends: key, value and headers (a list: Kafka allows repeated names)."""

    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def to_kafka(envelope: Envelope[Any]) -> KafkaRecord:
    """Headers are written directly: the envelope model already validated every attribute,
    and this runs once per output event on the hot path."""
    attributes = {
        "specversion": "1.0",
        "id": envelope.id,
        "source": envelope.source,
        "type": envelope.type,
        "time": envelope.time.isoformat().replace("+00:00", "Z"),
        "subject": envelope.subject,
        TENANT_EXTENSION: envelope.tenant,
    }
    if envelope.traceparent:
        attributes[TRACEPARENT_EXTENSION] = envelope.traceparent
    headers = [(ce_kafka.CE_PREFIX + name, value.encode()) for name, value in attributes.items()]
    headers.append(("content-type", CONTENT_TYPE.encode()))
    value = envelope.data.model_dump_json().encode()
    return KafkaRecord(key=envelope.subject.encode(), value=value, headers=headers)


def from_kafka(
    # The key mirrors the subject; the ce_subject header is authoritative, so it goes unread.
    key: bytes | None,  # noqa: ARG001
    value: bytes | None,
    headers: Headers | None,
) -> Envelope[EventData]:
    header_map = _header_map(headers)
    for name in REQUIRED_HEADERS:
        if name not in header_map:
            raise MissingHeaderError(name)
    attributes = _attributes(header_map)
    model = model_for(str(attributes["type"]))
    data = _data(model, value)
    return Envelope[EventData](
        id=attributes["id"],
        source=attributes["source"],
        type=attributes["type"],
        time=attributes["time"],
        subject=attributes.get("subject") or data.document_id,
        tenant=attributes.get(TENANT_EXTENSION) or data.tenant,
        traceparent=attributes.get(TRACEPARENT_EXTENSION),
        data=data,
    )


def _header_map(headers: Headers | None) -> dict[str, bytes]:
    """Last value wins for a repeated header, as in most Kafka header readers."""
    return {name.lower(): raw for name, raw in headers or () if raw is not None}


def _attributes(header_map: dict[str, bytes]) -> dict[str, Any]:
    specversion = header_map["ce_specversion"].decode(errors="replace")
    if specversion != "1.0":
        raise UnsupportedSpecVersionError(f"ce_specversion {specversion!r} is not 1.0")
    content_type = header_map.get("content-type", CONTENT_TYPE.encode()).decode(errors="replace")
    if content_type.split(";")[0].strip().lower() != CONTENT_TYPE:
        raise UnsupportedContentTypeError(f"content-type {content_type!r} is not {CONTENT_TYPE}")
    if "ce_time" not in header_map:
        raise MissingHeaderError("ce_time")
    message = ce_kafka.KafkaMessage(headers=header_map, key=None, value=b"")
    try:
        return ce_kafka.from_binary(message, _FORMAT, CloudEvent).get_attributes()
    except (BaseCloudEventException, ValueError, UnicodeDecodeError) as exc:
        raise InvalidPayloadError(f"invalid CloudEvents attributes: {exc}") from exc


def _data(model: type[EventData], value: bytes | None) -> EventData:
    if not value:
        raise InvalidPayloadError(f"{model.event_type}: the message has no value")
    try:
        return model.model_validate_json(value)
    except pydantic.ValidationError as exc:
        # Not chained: the validation error holds the input, and tracebacks end up in logs.
        raise InvalidPayloadError(f"{model.event_type}: {_summary(exc)}") from None


def _summary(exc: pydantic.ValidationError) -> str:
    """The errors without the input values, which may hold document content."""
    parts = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in exc.errors()]
    return "; ".join(parts[:5]) + (f" (+{len(parts) - 5} more)" if len(parts) > 5 else "")
