"""A tenant's review queue: the documents still waiting for a decision, longest waiting first.

A document waits since it entered review (its last change: nothing moves it while it waits),
never before it was created. The store lists oldest created first, page by page; read in
that order, a document is known to stand next in the queue once the listing has passed the
moment it entered review, since every document not yet read was created, so entered review,
later still. So the queue is read only as far as what is asked of it needs (a page of it, the
first document), never whole, and the oldest are never the ones a bound cuts.

A document whose decision is claimed is no longer waiting, though its status moves only when
the tracker sees the decision: the page leaves it out, the API lists it marked as claimed.
"""

import heapq
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count, islice
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import ValidationFailed
from docflow_ingest.core.review import NotAwaitingReviewError, pending_review
from docflow_results.models import Document, DocumentStatus
from docflow_results.repository import MAX_PAGE_LIMIT, Repository

#: At most this many documents of the store are read for one answer (20 of its pages).
MAX_READ: Final = 20 * MAX_PAGE_LIMIT
#: The review page shows at most this many documents.
PAGE_ROWS: Final = 100

#: Where a document stands in the queue: when it entered review, its id breaking ties.
Position = tuple[datetime, str]


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

    def latest_admitted(self, now: datetime) -> datetime | None:
        """The latest moment an admitted document can have entered review (so been created)."""
        return None if not self.older_than else now - timedelta(seconds=self.older_than)


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
    def position(self) -> Position:
        return self.since, self.document.id

    @property
    def claimed(self) -> bool:
        return self.document.decision is not None

    def age(self, now: datetime) -> timedelta:
        return max(timedelta(0), now - self.since)


@dataclass(frozen=True)
class Resume:
    """Where a listing of the queue goes on: after ``after``, reading the store from the
    documents created at ``read_from`` (every later one in the queue was created since)."""

    after: Position
    read_from: datetime | None


@dataclass(frozen=True)
class Queue:
    """What the review page shows: the first admitted documents, and counts of those read."""

    entries: list[Waiting]
    #: Waiting documents read, before filtering: all of them when ``complete``.
    total: int
    by_type: dict[str, int] = field(default_factory=dict)
    by_finding: dict[str, int] = field(default_factory=dict)
    #: The counts cover the whole queue (else: at least so many).
    complete: bool = True
    #: More documents pass the filters than ``entries`` holds.
    more: bool = False
    #: The read bound stopped reading: documents created after those read are not shown.
    truncated: bool = False


class QueueReader:
    """A tenant's queue in order, read from the store oldest first only as far as it is
    iterated (and at most ``max_read`` documents)."""

    def __init__(
        self,
        repository: Repository,
        tenant: str,
        *,
        claimed: bool = False,
        resume: Resume | None = None,
        latest: datetime | None = None,
        max_read: int = MAX_READ,
        page_size: int = MAX_PAGE_LIMIT,
    ) -> None:
        self._repository, self._tenant, self._claimed = repository, tenant, claimed
        self._after = None if resume is None else resume.after
        self._read_from = None if resume is None else resume.read_from
        self._latest = latest  # no document created after it is wanted
        self._max_read, self._page_size = max_read, page_size
        self._cursor: str | None = None
        self._held: list[tuple[Position, int, Waiting]] = []
        self._order = count()
        #: (created_at, id) of the last document read: every unread one stands after it.
        self._mark: Position | None = None
        self.documents_read = 0
        #: The waiting documents read (those after the resume position).
        self.read: list[Waiting] = []
        #: The store's listing was read to its end.
        self.ended = False
        self.truncated = False

    def __iter__(self) -> Iterator[Waiting]:
        while self._reading():
            self._read_page()
            yield from self._ready()
        # Nothing unread is wanted (or may be read): what is held comes in its order.
        while self._held:
            yield heapq.heappop(self._held)[2]

    def resume_from(self, unshown: Iterable[Waiting]) -> datetime | None:
        """Where the next listing reads from when ``unshown`` (taken but not shown) and the
        documents still held are to come: the earliest created of them."""
        held = [entry for _, _, entry in self._held]
        created = [entry.document.created_at for entry in (*unshown, *held)]
        if created:
            return min(created)
        return None if self._mark is None else self._mark[0]

    def _reading(self) -> bool:
        if self.ended or self.truncated:
            return False
        return self._latest is None or self._mark is None or self._mark[0] <= self._latest

    def _read_page(self) -> None:
        page = self._repository.list_documents(
            self._tenant, status=DocumentStatus.NEEDS_REVIEW, created_after=self._read_from,
            limit=self._page_size, cursor=self._cursor, order="oldest",
        )  # fmt: skip
        self._cursor = page.next_cursor
        self.documents_read += len(page.items)
        self.ended = page.next_cursor is None
        self.truncated = not self.ended and self.documents_read >= self._max_read
        if page.items:
            self._mark = page.items[-1].created_at, page.items[-1].id
        for entry in pending(page.items, claimed=self._claimed):
            if self._after is None or entry.position > self._after:
                self.read.append(entry)
                heapq.heappush(self._held, (entry.position, next(self._order), entry))

    def _ready(self) -> Iterator[Waiting]:
        """The held documents no unread one can stand before."""
        while self._held and self._mark is not None and self._held[0][0] <= self._mark:
            yield heapq.heappop(self._held)[2]


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


def waiting(
    repository: Repository, tenant: str, *, claimed: bool = False
) -> tuple[list[Waiting], bool]:
    """The tenant's whole queue (with the documents whose decision is claimed when
    ``claimed``) up to the read bound, and whether the bound cut it: what the metrics count."""
    reader = QueueReader(repository, tenant, claimed=claimed)
    return list(reader), reader.truncated


def first_waiting(repository: Repository, tenant: str, *, other_than: str) -> str | None:
    """The id of the longest-waiting document other than ``other_than``."""
    reader = QueueReader(repository, tenant)
    return next((w.document.id for w in reader if w.document.id != other_than), None)


def queue_page(
    repository: Repository,
    tenant: str,
    limit: int,
    resume: Resume | None = None,
    *,
    page_size: int = MAX_PAGE_LIMIT,
) -> tuple[list[Waiting], Resume | None]:
    """A page of the queue (claimed documents marked, not left out) after ``resume``, and
    where the next page goes on (None after the last)."""
    reader = QueueReader(repository, tenant, claimed=True, resume=resume, page_size=page_size)
    found = list(islice(reader, limit + 1))
    shown, rest = found[:limit], found[limit:]
    if not rest:
        return shown, None
    return shown, Resume(after=shown[-1].position, read_from=reader.resume_from(rest))


def review_queue(
    repository: Repository,
    tenant: str,
    wanted: QueueFilter,
    now: datetime | None = None,
    *,
    rows: int = PAGE_ROWS,
    page_size: int = MAX_PAGE_LIMIT,
) -> Queue:
    """The first ``rows`` documents ``wanted`` admits, with counts of the documents read."""
    moment = now or datetime.now(UTC)
    latest = wanted.latest_admitted(moment)
    reader = QueueReader(repository, tenant, latest=latest, page_size=page_size)
    admitted = (w for w in reader if wanted.admits(w, moment))
    entries = list(islice(admitted, rows + 1))
    types = Counter(w.outcome.document_type for w in reader.read)
    rules = Counter(rule for w in reader.read for rule in {f.rule for f in w.outcome.findings})
    return Queue(
        entries=entries[:rows], total=len(reader.read), by_type=dict(sorted(types.items())),
        by_finding=dict(sorted(rules.items())), complete=reader.ended,
        more=len(entries) > rows, truncated=reader.truncated,
    )  # fmt: skip
