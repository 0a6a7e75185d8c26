"""How a document changes, as pure functions: the store reads an item, applies one of these,
and writes the result back on the condition that nobody wrote in between."""

from datetime import datetime
from typing import Any

from docflow_results.models import (
    Document,
    DocumentOptions,
    DocumentStatus,
    NewDocument,
    StageError,
    TimelineEntry,
)
from docflow_results.sqlite import from_micros, to_micros
from docflow_results.status import next_status


def utc(moment: datetime) -> datetime:
    """The same instant in UTC (a naive time is taken as UTC), as the store gives it back."""
    return from_micros(to_micros(moment))


def received(new: NewDocument) -> Document:
    created = utc(new.created_at)
    fields = new.model_dump(exclude={"created_at", "content"})
    return Document(
        **fields,
        content=new.content,
        status=DocumentStatus.RECEIVED,
        created_at=created,
        updated_at=created,
    )


def with_event(
    document: Document,
    entry: TimelineEntry,
    *,
    error: StageError | None,
    review: dict[str, Any] | None,
    step: dict[str, Any] | None,
) -> Document:
    """The document after ``entry`` (of its run or a later one) is recorded."""
    changes: dict[str, Any] = {"updated_at": max(document.updated_at, utc(entry.at))}
    current = document.status
    if entry.run > document.run:
        changes |= new_run(entry.run)
        current = DocumentStatus.RECEIVED
    changes["status"] = next_status(current, entry.status)
    if not current.final:
        changes |= _run_facts(error, review)
    if step is not None and entry.status is not None and changes["status"] == entry.status:
        changes["step"] = step
    return document.model_copy(update=changes)


def reset(document: Document, at: datetime, options: DocumentOptions | None, run: int) -> Document:
    """The document once run ``run`` starts (see Repository.reset_for_reprocess)."""
    changes: dict[str, Any] = {} if options is None else dict(options)
    if run > document.run:
        changes |= new_run(run) | {"status": DocumentStatus.RECEIVED, "updated_at": utc(at)}
    return document.model_copy(update=changes)


def new_run(run: int) -> dict[str, Any]:
    """What a new run starts over: nothing of the earlier run's outcome is kept."""
    return {
        "run": run, "error": None, "result": None, "review": None, "decision": None, "step": None,
    }  # fmt: skip


def _run_facts(error: StageError | None, review: dict[str, Any] | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if error is not None:
        changes["error"] = error
    if review is not None:
        changes["review"] = review
    return changes
