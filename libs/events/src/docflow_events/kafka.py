"""CloudEvents 1.0 Kafka protocol binding, binary content mode.

Attributes travel as ``ce_*`` headers, ``content-type`` names the data's media type, the value
is the data as JSON and the key is the document id. Decoding validates the attributes (through
the :class:`Envelope` model) and the data against the model of its type, and raises a precise
:class:`~docflow_events.errors.EventDecodeError` for anything wrong.

The mapping is written out here rather than taken from a CloudEvents SDK: it is a dozen lines,
and every stage runs it for every event, where a generic event object and a second validation
pass cost more than the rest of decoding together.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pydantic

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
CE_PREFIX = "ce_"
REQUIRED_HEADERS = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time")
#: Header -> attribute, for every attribute docflow reads.
_ATTRIBUTES = {
    CE_PREFIX + name: name
    for name in ("id", "source", "type", "time", "subject", TENANT_EXTENSION, TRACEPARENT_EXTENSION)
}

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
    headers = [(CE_PREFIX + name, value.encode()) for name, value in attributes.items()]
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
    return _envelope(attributes, _data(model_for(attributes["type"]), value))


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
    try:
        values = {a: header_map[h].decode() for h, a in _ATTRIBUTES.items() if h in header_map}
    except UnicodeDecodeError:
        raise InvalidPayloadError("a CloudEvents header is not UTF-8") from None
    return values | {"time": _time(values["time"])}


def _time(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidPayloadError(f"ce_time {text!r} is not an RFC 3339 timestamp") from None
    if parsed.tzinfo is None:
        raise InvalidPayloadError(f"ce_time {text!r} has no UTC offset")
    return parsed


def _envelope(attributes: dict[str, Any], data: EventData) -> Envelope[EventData]:
    try:
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
    except pydantic.ValidationError as exc:
        raise InvalidPayloadError(f"invalid CloudEvents attributes: {_summary(exc)}") from None


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
