"""Between the store's models and PostgreSQL rows: JSONB columns and times in UTC."""

from datetime import UTC, datetime
from typing import Any, Final

from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from docflow_results.models import (
    ChildDocument,
    Document,
    NewDocument,
    StageError,
    TimelineEntry,
    WebhookDelivery,
)

DOCUMENT_COLUMNS: Final = (
    "id, tenant, status, run, filename, media_type, content, document_type_hint, callback_url,"
    " metadata, idempotency_key, created_at, updated_at, error, result, review, decision, step,"
    " parent_id"
)
INSERT_DOCUMENT: Final = (
    "INSERT INTO documents (id, tenant, status, filename, media_type, content, content_sha256,"
    " document_type_hint, callback_url, metadata, idempotency_key, created_at, updated_at,"
    " parent_id) VALUES (%s, %s, 'received', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is taken as UTC (as the SQLite store does)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def jsonb(value: Any) -> Jsonb | None:
    return None if value is None else Jsonb(value)


def insert_values(document: NewDocument) -> tuple[Any, ...]:
    created = utc(document.created_at)
    return (
        document.id, document.tenant, document.filename, document.media_type,
        Jsonb(document.content.model_dump(mode="json")), document.content.sha256,
        document.document_type_hint, document.callback_url, Jsonb(document.metadata),
        document.idempotency_key, created, created, document.parent_id,
    )  # fmt: skip


def document(row: DictRow) -> Document:
    return Document.model_validate({
        **row, "created_at": utc(row["created_at"]), "updated_at": utc(row["updated_at"]),
    })  # fmt: skip


def child(row: DictRow) -> ChildDocument:
    return ChildDocument.model_validate({**row, "created_at": utc(row["created_at"])})


def timeline_entry(row: DictRow) -> TimelineEntry:
    return TimelineEntry.model_validate({**row, "at": utc(row["at"])})


def delivery(row: DictRow) -> WebhookDelivery:
    return WebhookDelivery.model_validate({**row, "at": utc(row["at"])})


def new_run(run: int) -> dict[str, Any]:
    """The columns a new run starts over: nothing of the earlier run's outcome is kept."""
    return {
        "run": run, "error": None, "result": None, "review": None, "decision": None, "step": None,
    }  # fmt: skip


def run_facts(error: StageError | None, review: dict[str, Any] | None) -> dict[str, Any]:
    """What an event adds to a document still in its run, beside the status."""
    changes: dict[str, Any] = {}
    if error is not None:
        changes["error"] = Jsonb(error.model_dump(mode="json"))
    if review is not None:
        changes["review"] = Jsonb(review)
    return changes
