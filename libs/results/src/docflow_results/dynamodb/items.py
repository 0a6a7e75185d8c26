"""Items of the table and the models they hold: keys, attributes, and the derived index keys.

JSON-shaped fields (metadata, review, step, details) are kept as canonical JSON strings, as the
SQLite store keeps them: DynamoDB numbers would turn floats into Decimals and back. The final
record is kept compressed in an item of its own, so that the document item every event
rewrites stays small (a write is billed by the larger of the old and new item).
"""

import hashlib
import json
import time
import zlib
from datetime import datetime
from typing import Any, Final, NamedTuple

from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

from docflow_results.dynamodb.table import PK, SK
from docflow_results.models import Document, DocumentStatus, TimelineEntry, WebhookDelivery
from docflow_results.sqlite import from_micros, to_micros

Item = dict[str, AttributeValueTypeDef]

DOC_SK: Final = "DOC"
RESULT_SK: Final = "DOC#RESULT"
EVENT_PREFIX: Final = "EVENT#"
HOOK_PREFIX: Final = "HOOK#"
#: Links from a message to the attachments split off it, in its partition, oldest first.
CHILD_PREFIX: Final = "CHILD#"
#: Index partitions of the attention index per kind: spreads the reconciler's index writes.
ATTENTION_SHARDS: Final = 8
#: Keeps times before 1970 sortable as fixed-width strings.
_TIME_OFFSET: Final = 10**18
_ON_THE_WAY: Final = frozenset({
    DocumentStatus.RECEIVED, DocumentStatus.EXTRACTED, DocumentStatus.VALIDATED,
    DocumentStatus.ENRICHED,
})  # fmt: skip


class Stored(NamedTuple):
    """A document item as read: the document (without its final record) and its version,
    which every read-modify-write names in its condition."""

    document: Document
    version: int
    #: The id of the step whose webhook is known to have been logged: out of the index.
    announced: str | None = None


def canonical_json(value: Any) -> str:
    # Canonical text, so that equal records compare equal as stored.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def time_key(moment: datetime | int) -> str:
    micros = moment if isinstance(moment, int) else to_micros(moment)
    return f"{micros + _TIME_OFFSET:020d}"


def from_time_key(text: str) -> datetime:
    return from_micros(int(text) - _TIME_OFFSET)


def document_id(item: Item) -> str:
    """The id of the document whose partition holds ``item`` (any item, index entries too)."""
    return item[PK]["S"].removeprefix("DOC#")


def doc_key(document_id: str, sk: str = DOC_SK) -> Item:
    return {PK: {"S": f"DOC#{document_id}"}, SK: {"S": sk}}


def sha_key(tenant: str, sha256: str) -> Item:
    return {PK: {"S": f"SHA#{sha256}"}, SK: {"S": f"TENANT#{tenant}"}}


def idempotency_key(tenant: str, key: str) -> Item:
    return {PK: {"S": f"KEY#{key}"}, SK: {"S": f"TENANT#{tenant}"}}


def tenant_key(tenant: str) -> str:
    return f"T#{tenant}"


def tenant_status(tenant: str, status: DocumentStatus) -> str:
    # The status is last and never holds '#', so any tenant name keeps the key unambiguous.
    return f"T#{tenant}#{status}"


def attention_partitions(kind: str) -> list[str]:
    return [f"{kind}#{shard}" for shard in range(ATTENTION_SHARDS)]


def document_item(document: Document, version: int, announced: str | None = None) -> Item:
    """The document item, with the index keys its state gives it (result not included)."""
    item: Item = {**doc_key(document.id), "version": _n(version), **_document_fields(document)}
    item |= _optional_fields(document)
    item |= _index_keys(document, announced)
    if announced is not None:
        item["announced"] = _s(announced)
    return item


def _document_fields(document: Document) -> Item:
    return {
        "id": _s(document.id),
        "tenant": _s(document.tenant),
        "status": _s(document.status),
        "run": _n(document.run),
        "media_type": _s(document.media_type),
        "content": _s(document.content.model_dump_json()),
        "content_sha256": _s(document.content.sha256),
        "metadata": _s(canonical_json(document.metadata)),
        "created_us": _n(to_micros(document.created_at)),
        "updated_us": _n(to_micros(document.updated_at)),
    }


def _optional_fields(document: Document) -> Item:
    values = {
        "filename": document.filename,
        "document_type_hint": document.document_type_hint,
        "callback_url": document.callback_url,
        "idempotency_key": document.idempotency_key,
        "error": None if document.error is None else document.error.model_dump_json(),
        "review": None if document.review is None else canonical_json(document.review),
        "decision": None if document.decision is None else document.decision.model_dump_json(),
        "step": None if document.step is None else canonical_json(document.step),
        "parent_id": document.parent_id,
    }
    return {name: _s(value) for name, value in values.items() if value is not None}


def _index_keys(document: Document, announced: str | None) -> Item:
    keys: Item = {
        "tenant_key": _s(tenant_key(document.tenant)),
        "tenant_status": _s(tenant_status(document.tenant, document.status)),
        "created_key": _s(f"{time_key(document.created_at)}#{document.id}"),
    }
    kind = attention_kind(document, announced)
    if kind is not None:
        keys["attention"] = _s(f"{kind}#{_shard(document.id)}")
        keys["attention_key"] = _s(f"{time_key(document.updated_at)}#{document.id}")
    return keys


def attention_kind(document: Document, announced: str | None) -> str | None:
    """``moving`` for a document a stage is to move on, ``unannounced`` for a final one whose
    webhook may not have gone yet; None for the rest (they stay out of the index)."""
    if document.status in _ON_THE_WAY:
        return "moving"
    if (
        document.status.final
        and document.callback_url is not None
        and document.step is not None
        and (step_id(document) is None or step_id(document) != announced)
    ):
        return "unannounced"
    return None


def step_id(document: Document) -> str | None:
    value = None if document.step is None else document.step.get("id")
    return None if value is None else str(value)


def _shard(document_id: str) -> int:
    return int.from_bytes(hashlib.sha256(document_id.encode()).digest()[:4]) % ATTENTION_SHARDS


def stored_document(item: Item) -> Stored:
    document = Document.model_validate({
        "id": _str(item, "id"), "tenant": _str(item, "tenant"), "status": _str(item, "status"),
        "run": _int(item, "run"), "filename": _opt(item, "filename"),
        "media_type": _str(item, "media_type"), "content": json.loads(_str(item, "content")),
        "document_type_hint": _opt(item, "document_type_hint"),
        "callback_url": _opt(item, "callback_url"), "metadata": json.loads(_str(item, "metadata")),
        "idempotency_key": _opt(item, "idempotency_key"),
        "created_at": from_micros(_int(item, "created_us")),
        "updated_at": from_micros(_int(item, "updated_us")),
        "error": _json_opt(item, "error"), "review": _json_opt(item, "review"),
        "decision": _json_opt(item, "decision"), "step": _json_opt(item, "step"),
        "parent_id": _opt(item, "parent_id"),
    })  # fmt: skip
    return Stored(document, _int(item, "version"), _opt(item, "announced"))


def child_link_item(document: Document) -> Item:
    """The link a document split off a message leaves in the message's partition."""
    assert document.parent_id is not None, "only a document with a parent is linked"
    sk = f"{CHILD_PREFIX}{time_key(document.created_at)}#{document.id}"
    return {**doc_key(document.parent_id, sk), "child_id": _s(document.id)}


def result_item(document_id: str, run: int, text: str) -> Item:
    return {
        **doc_key(document_id, RESULT_SK),
        "run": _n(run),
        "record": {"B": zlib.compress(text.encode())},
    }


def result_text(item: Item | None, run: int) -> str | None:
    """The record a result item holds for run ``run``; a record of another run is stale."""
    if item is None or _int(item, "run") != run:
        return None
    return zlib.decompress(item["record"]["B"]).decode()


def event_item(document_id: str, entry: TimelineEntry, seq: int) -> Item:
    item: Item = {
        **doc_key(document_id, EVENT_PREFIX + entry.event_id),
        "event_id": _s(entry.event_id),
        "event_type": _s(entry.event_type),
        "at_us": _n(to_micros(entry.at)),
        "detail": _s(canonical_json(entry.detail)),
        "run": _n(entry.run),
        # The document's version when the event was recorded: its place among equal times.
        "seq": _n(seq),
    }
    if entry.status is not None:
        item["status"] = _s(entry.status)
    return item


def timeline_entry(item: Item) -> tuple[tuple[int, int], TimelineEntry]:
    entry = TimelineEntry(
        event_id=_str(item, "event_id"),
        event_type=_str(item, "event_type"),
        status=_status(item),
        at=from_micros(_int(item, "at_us")),
        run=_int(item, "run"),
        detail=json.loads(_str(item, "detail")),
    )
    return (_int(item, "at_us"), _int(item, "seq")), entry


def hook_item(delivery: WebhookDelivery) -> Item:
    item: Item = {
        **doc_key(delivery.document_id, HOOK_PREFIX + delivery.id),
        "id": _s(delivery.id),
        "url": _s(delivery.url),
        "attempt": _n(delivery.attempt),
        "delivered": {"BOOL": delivery.delivered},
        "at_us": _n(to_micros(delivery.at)),
        # Deliveries are listed in the order they were logged, as the SQLite store does.
        "recorded_ns": _n(time.time_ns()),
    }
    if delivery.status_code is not None:
        item["status_code"] = _n(delivery.status_code)
    if delivery.error is not None:
        item["error"] = _s(delivery.error)
    return item


def webhook_delivery(document_id: str, item: Item) -> tuple[tuple[int, str], WebhookDelivery]:
    code = item.get("status_code")
    delivery = WebhookDelivery(
        id=_str(item, "id"),
        document_id=document_id,
        url=_str(item, "url"),
        attempt=_int(item, "attempt"),
        status_code=None if code is None else int(code["N"]),
        error=_opt(item, "error"),
        delivered=bool(item["delivered"]["BOOL"]),
        at=from_micros(_int(item, "at_us")),
    )
    return (_int(item, "recorded_ns"), delivery.id), delivery


def _status(item: Item) -> DocumentStatus | None:
    text = _opt(item, "status")
    return None if text is None else DocumentStatus(text)


def _s(value: str) -> AttributeValueTypeDef:
    return {"S": value}


def _n(value: int) -> AttributeValueTypeDef:
    return {"N": str(value)}


def _str(item: Item, name: str) -> str:
    return item[name]["S"]


def _opt(item: Item, name: str) -> str | None:
    value = item.get(name)
    return None if value is None else value["S"]


def _int(item: Item, name: str) -> int:
    return int(item[name]["N"])


def _json_opt(item: Item, name: str) -> Any:
    text = _opt(item, name)
    return None if text is None else json.loads(text)
