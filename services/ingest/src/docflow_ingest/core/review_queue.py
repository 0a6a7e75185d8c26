"""A tenant's review queue: the documents still waiting for a decision, oldest first.

The results store lists newest first, by page; a queue is read whole (up to a bound) so that
it can be ordered by waiting time, filtered and counted. A document whose decision is claimed
is no longer waiting, though its status moves only when the tracker sees the decision: the
page leaves it out, the API lists it marked as claimed.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import ValidationFailed
from docflow_ingest.core.review import NotAwaitingReviewError, pending_review
from docflow_results.models import Document, DocumentStatus
from docflow_results.repository import MAX_PAGE_LIMIT, Repository

#: At most this many pages of the store are read for one queue.
MAX_PAGES: Final = 20


class QueueFilter(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    document_type: str | None = Field(default=None, max_length=64)
    finding: str | None = Field(default=None, max_length=128, description="A rule id")
    older_than: int | None = Field(default=None, ge=0, description="Seconds waiting, at least")

    def admits(self, waiting: "Waiting", now: datetime) -> bool:
        outcome = waiting.outcome
        rules = {finding.rule for finding in outcome.findings}
        return (
            self.document_type in (None, outcome.document_type)
            and (self.finding is None or self.finding in rules)
            and (self.older_than is None or waiting.age(now).total_seconds() >= self.older_than)
        )


@dataclass(frozen=True)
class Waiting:
    document: Document
    outcome: ValidationFailed

    @property
    def since(self) -> datetime:
        """When the document entered review: its last change, as nothing moves it while it
        waits."""
        return self.document.updated_at

    @property
    def position(self) -> tuple[datetime, str]:
        """Where it stands in the queue: by waiting time, the id breaking ties."""
        return self.since, self.document.id

    @property
    def claimed(self) -> bool:
        return self.document.decision is not None

    def age(self, now: datetime) -> timedelta:
        return max(timedelta(0), now - self.since)


@dataclass(frozen=True)
class Queue:
    entries: list[Waiting]
    #: Waiting documents before filtering.
    total: int
    by_type: dict[str, int] = field(default_factory=dict)
    by_finding: dict[str, int] = field(default_factory=dict)
    truncated: bool = False


def waiting(
    repository: Repository, tenant: str, *, claimed: bool = False
) -> tuple[list[Waiting], bool]:
    """The tenant's waiting documents (with those whose decision is claimed when ``claimed``),
    oldest first, and whether the bound cut the list."""
    found: list[Waiting] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = repository.list_documents(
            tenant, status=DocumentStatus.NEEDS_REVIEW, limit=MAX_PAGE_LIMIT, cursor=cursor
        )
        found += pending(page.items, claimed=claimed)
        cursor = page.next_cursor
        if cursor is None:
            return sorted(found, key=lambda w: w.position), False
    return sorted(found, key=lambda w: w.position), True


def pending(documents: list[Document], *, claimed: bool) -> Iterator[Waiting]:
    """The documents that wait for review, in their order; those whose decision is claimed
    only when ``claimed``. One without a validation outcome to review is left out."""
    for document in documents:
        if document.decision is not None and not claimed:
            continue
        try:
            yield Waiting(document, pending_review(document))
        except NotAwaitingReviewError:
            continue


def after(entries: list[Waiting], position: tuple[datetime, str] | None) -> list[Waiting]:
    """The entries (oldest first) that stand after ``position``; all of them without one."""
    if position is None:
        return entries
    return [w for w in entries if w.position > position]


def review_queue(
    repository: Repository, tenant: str, wanted: QueueFilter, now: datetime | None = None
) -> Queue:
    everything, truncated = waiting(repository, tenant)
    moment = now or datetime.now(UTC)
    rules = Counter(rule for w in everything for rule in {f.rule for f in w.outcome.findings})
    return Queue(
        entries=[w for w in everything if wanted.admits(w, moment)],
        total=len(everything),
        by_type=dict(sorted(Counter(w.outcome.document_type for w in everything).items())),
        by_finding=dict(sorted(rules.items())),
        truncated=truncated,
    )
