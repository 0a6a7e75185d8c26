"""The messages a stage sends: its outputs, and dead letters with the failure explained."""

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from confluent_kafka import Message
from confluent_kafka._types import HeadersType

from docflow_events import Envelope, EventData, KafkaRecord, dead_letter_topic, to_kafka
from docflow_events.kafka import TENANT_EXTENSION, TRACEPARENT_EXTENSION
from docflow_events.traceparent import child_of
from docflow_events.v1 import DocumentFailed, DocumentStored
from docflow_runtime.errors import PermanentError
from docflow_runtime.finite import check_finite

#: Outputs must stay far below Kafka's 1 MiB default: anything large belongs in the blob store.
MAX_OUTPUT_BYTES = 900 * 1024
#: A failure's reason is read by people (the API, webhooks, dead-letter headers): one line of
#: at most this many characters, the last an ellipsis when the message was longer.
MAX_REASON_CHARS = 1000
# Line breaks and other control characters (C0, DEL, C1, Unicode line separators).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ID_NAMESPACE = uuid.UUID("5b0f6c8e-3d0a-4f3e-9d7e-6f1c2b8a9e41")
DLQ_HEADER_PREFIX = "docflow_dlq_"


@dataclass(frozen=True)
class Consumed:
    """A fetched message, copied out of the client's object so any thread may read it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    timestamp: float | None

    @classmethod
    def of(cls, message: Message) -> "Consumed":
        kind, millis = message.timestamp()
        return cls(
            topic=message.topic() or "",
            partition=message.partition() or 0,
            offset=message.offset() or 0,
            key=message.key(),
            value=message.value(),
            headers=_header_list(message.headers()),
            timestamp=millis / 1000 if kind and millis > 0 else None,
        )

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.headers if k.lower() == name]
        return found[-1].decode(errors="replace") if found else None

    @property
    def ref(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"


def _header_list(headers: HeadersType | None) -> list[tuple[str, bytes]]:
    pairs = headers.items() if isinstance(headers, dict) else headers or []
    return [(k, v.encode() if isinstance(v, str) else v or b"") for k, v in pairs]


@dataclass(frozen=True)
class Outgoing:
    topic: str
    record: KafkaRecord


def output_id(input_id: str, stage: str, index: int | str) -> str:
    """Deterministic: a redelivered input yields outputs with the same ids."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{input_id}/{stage}/{index}"))


def final_notice_id(tenant: str, document_id: str, run: int, outcome: str) -> str:
    """The id of a run's final notice (``document.stored``, ``document.failed``): one per run
    and outcome, however many flows of the run reach it (a re-drive racing a slow original),
    so that the tracker records it once and notify sends one webhook."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{tenant}/{document_id}/runs/{run}/{outcome}"))


def _id_of(produced: EventData, input_id: str, stage: str, index: int) -> str:
    if isinstance(produced, DocumentStored):
        return final_notice_id(produced.tenant, produced.document_id, produced.run, "stored")
    return output_id(input_id, stage, index)


def outputs(
    stage: str,
    event: Envelope[EventData],
    data: Sequence[EventData],
    prefix: str,
    *,
    seconds: float | None = None,
) -> list[Outgoing]:
    """The outputs of one event, as records; each belongs to the run its input belongs to and
    carries its timings, with ``seconds`` (the handler's time) added for ``stage``. An output
    about another document (an attachment split off a message) starts that document's own
    flow: it keeps the run and timings it was made with."""
    timings = dict(event.data.timings)
    if seconds is not None:
        timings[stage] = round(seconds, 6)
    sent = []
    for index, produced in enumerate(data):
        same = produced.document_id == event.data.document_id
        item = (
            produced.model_copy(update={"run": event.data.run, "timings": timings})
            if same
            else produced
        )
        check_finite(item)
        envelope = Envelope.wrap(
            item,
            id=_id_of(item, event.id, stage, index),
            source=f"/docflow/{stage}",
            traceparent=child_of(event.traceparent),
        )
        sent.append(Outgoing(prefix + item.topic, _checked(to_kafka(envelope))))
    return sent


def _checked(record: KafkaRecord) -> KafkaRecord:
    size = len(record.value) + sum(len(k) + len(v) for k, v in record.headers)
    if size > MAX_OUTPUT_BYTES:
        raise PermanentError(
            f"output event of {size} bytes exceeds {MAX_OUTPUT_BYTES}: put large results in "
            "the blob store and send a reference"
        )
    return record


def dead_letters(
    stage: str,
    message: Consumed,
    error: BaseException,
    *,
    attempts: int,
    permanent: bool,
    prefix: str,
) -> list[Outgoing]:
    """The input, untouched, to the stage's dead-letter topic, plus a failure event."""
    dlq = prefix + dead_letter_topic(stage)
    failure = {
        "stage": stage,
        "error_class": type(error).__qualname__,
        "error_message": _reason(error),
        "attempts": str(attempts),
        "permanent": str(permanent).lower(),
        "original_topic": message.topic,
        "original_partition": str(message.partition),
        "original_offset": str(message.offset),
        "failed_at": datetime.now(UTC).isoformat(),
    }
    headers = message.headers + [(DLQ_HEADER_PREFIX + k, v.encode()) for k, v in failure.items()]
    letter = KafkaRecord(key=message.key or b"", value=message.value or b"", headers=headers)
    sent = [Outgoing(dlq, letter)]
    failed = _failed_event(stage, message, failure, dlq=dlq, permanent=permanent, attempts=attempts)
    if failed is not None:
        sent.append(Outgoing(prefix + DocumentFailed.topic, to_kafka(failed)))
    return sent


def _reason(error: BaseException) -> str:
    """The error's message as a failure's reason: one line, at most :data:`MAX_REASON_CHARS`."""
    # Undecodable text (a filename read with surrogateescape) must not stop a dead letter.
    printable = str(error).encode(errors="backslashreplace").decode()
    line = " ".join(_CONTROL.sub(" ", printable).split())
    if len(line) <= MAX_REASON_CHARS:
        return line
    return line[: MAX_REASON_CHARS - 1] + "\u2026"


def _run_of(message: Consumed) -> int:
    """The run the failed event belongs to, read from its data: the message may not decode as
    an event at all (then it is taken for the first run)."""
    try:
        run = json.loads(message.value or b"").get("run", 1)
    except (ValueError, AttributeError):
        return 1
    return run if isinstance(run, int) and run >= 1 else 1


def _failed_event(
    stage: str,
    message: Consumed,
    failure: dict[str, str],
    *,
    dlq: str,
    permanent: bool,
    attempts: int,
) -> Envelope[DocumentFailed] | None:
    """None when the message does not say which document it is about, or is itself a failure
    (a stage failing on failures, say during a database outage, must not feed itself)."""
    if message.header("ce_type") == DocumentFailed.event_type:
        return None
    document_id = (message.key or b"").decode(errors="replace") or message.header("ce_subject")
    try:
        data = DocumentFailed(
            document_id=document_id or "",
            tenant=message.header("ce_" + TENANT_EXTENSION) or "unknown",
            stage=stage,
            error_class=failure["error_class"],
            reason=failure["error_message"],
            permanent=permanent,
            attempts=attempts,
            dead_letter_topic=dlq,
            source_topic=message.topic,
            source_partition=message.partition,
            source_offset=message.offset,
            failed_at=datetime.now(UTC),
            run=_run_of(message),
        )
    except ValueError:
        return None
    return Envelope.wrap(
        data,
        id=final_notice_id(data.tenant, data.document_id, data.run, "failed")
        if data.document_id
        else output_id(message.header("ce_id") or message.ref, stage, "failed"),
        source=f"/docflow/{stage}",
        traceparent=child_of(message.header("ce_" + TRACEPARENT_EXTENSION)),
    )
