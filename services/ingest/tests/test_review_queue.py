"""The review queue read from the store oldest first: in waiting order, only as far as needed."""

import random
import uuid
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from docflow_events.v1 import BlobRef, Finding, ValidationFailed
from docflow_ingest.core.review_queue import (
    PAGE_ROWS,
    QueueFilter,
    QueueReader,
    Resume,
    Waiting,
    first_waiting,
    queue_page,
    review_queue,
)
from docflow_results.models import DocumentStatus, ReviewDecision
from docflow_results.repository import MAX_PAGE_LIMIT
from docflow_results.sqlite import SqliteRepository
from docflow_testing.results import T0, new_document

from .test_review_page import signed_in

EXTRACTION = BlobRef(url="file:///blobs/acme/x/extraction.json", sha256="a" * 64, size=10)


def in_review(
    repository: SqliteRepository,
    created: datetime,
    entered: datetime,
    *,
    document_type: str = "nda",
    rule: str = "nda.parties",
) -> str:
    """A document created at ``created`` that entered review at ``entered``."""
    document, _ = repository.create(new_document(created_at=created))
    failed = ValidationFailed(
        document_id=document.id, tenant="acme", content=document.content, extraction=EXTRACTION,
        rule_pack=document_type, document_type=document_type,
        findings=[Finding(rule=rule, severity="error", message="wrong")],
    )  # fmt: skip
    repository.record_event(
        "acme", document.id, event_id=str(uuid.uuid4()), event_type=ValidationFailed.event_type,
        at=entered, status=DocumentStatus.NEEDS_REVIEW, detail={},
        review=failed.model_dump(mode="json"),
    )  # fmt: skip
    return document.id


def ids(entries: list[Waiting]) -> list[str]:
    return [w.document.id for w in entries]


def shuffled_queue(repository: SqliteRepository, size: int, seed: int) -> list[str]:
    """``size`` documents that enter review after delays of seconds to days (a reprocessed
    one waits since its new run), some at the same moment; their ids in waiting order."""
    chance = random.Random(seed)
    made = []
    for n in range(size):
        created = T0 + timedelta(minutes=n // 2)
        entered = created + timedelta(seconds=chance.choice((0, 1, 30, 3600, 86400 * 3)))
        made.append((entered, in_review(repository, created, entered)))
    return [document_id for _, document_id in sorted(made)]


def test_the_queue_is_in_waiting_order_whatever_the_creation_order(
    repository: SqliteRepository,
) -> None:
    expected = shuffled_queue(repository, 23, seed=7)
    assert ids(list(QueueReader(repository, "acme", page_size=3))) == expected
    assert ids(list(QueueReader(repository, "acme"))) == expected


def test_pages_of_the_queue_cover_it_once_in_order(repository: SqliteRepository) -> None:
    expected = shuffled_queue(repository, 19, seed=11)
    for limit, page_size in ((1, 2), (4, 3), (5, 500)):
        seen: list[str] = []
        resume: Resume | None = None
        for _ in range(30):
            shown, resume = queue_page(repository, "acme", limit, resume, page_size=page_size)
            seen += ids(shown)
            if resume is None:
                break
        assert seen == expected, (limit, page_size)


def test_the_store_is_read_only_as_far_as_asked(repository: SqliteRepository) -> None:
    for n in range(12):
        in_review(repository, T0 + timedelta(minutes=n), T0 + timedelta(minutes=n, seconds=5))
    reader = QueueReader(repository, "acme", page_size=4)
    first = next(iter(reader))
    assert (reader.documents_read, reader.ended) == (4, False)
    assert first_waiting(repository, "acme", other_than=first.document.id) is not None
    shown = review_queue(repository, "acme", QueueFilter(), rows=3, page_size=5)
    assert (len(shown.entries), shown.total, shown.complete, shown.more) == (3, 5, False, True)


def test_a_long_wait_before_review_is_held_until_its_turn(repository: SqliteRepository) -> None:
    # Created first, but reprocessed: it entered review after all the others.
    late = in_review(repository, T0, T0 + timedelta(days=2))
    others = [in_review(repository, T0 + timedelta(hours=n), T0 + timedelta(hours=n))
              for n in range(1, 6)]  # fmt: skip
    reader = QueueReader(repository, "acme", page_size=2)
    assert ids(list(reader)) == [*others, late]
    shown, resume = queue_page(repository, "acme", 2, page_size=2)
    assert ids(shown) == others[:2]
    assert resume is not None
    assert resume.read_from == T0, "the held document is read again on the next page"


def test_counts_are_whole_when_the_queue_was_read_to_its_end(
    repository: SqliteRepository,
) -> None:
    in_review(repository, T0, T0, document_type="invoice", rule="invoice.total")
    for n in range(1, 4):
        in_review(repository, T0 + timedelta(minutes=n), T0 + timedelta(minutes=n))
    now = T0 + timedelta(days=1)
    queue = review_queue(repository, "acme", QueueFilter(document_type="nda"), now, page_size=2)
    assert (queue.total, queue.complete, queue.more, queue.truncated) == (4, True, False, False)
    assert queue.by_type == {"invoice": 1, "nda": 3}
    assert queue.by_finding == {"invoice.total": 1, "nda.parties": 3}
    assert [w.outcome.document_type for w in queue.entries] == ["nda"] * 3


def test_the_age_filter_stops_reading_where_no_document_can_be_old_enough(
    repository: SqliteRepository,
) -> None:
    old = [in_review(repository, T0 + timedelta(minutes=n), T0 + timedelta(minutes=n))
           for n in range(3)]  # fmt: skip
    for n in range(10):
        in_review(repository, T0 + timedelta(days=1, minutes=n), T0 + timedelta(days=1, minutes=n))
    now = T0 + timedelta(days=1, hours=1)
    wanted = QueueFilter(older_than=6 * 3600)
    queue = review_queue(repository, "acme", wanted, now, page_size=2)
    assert ids(queue.entries) == old
    assert not queue.complete, "the documents of the last day were not all read"
    assert queue.total < 13


def test_the_read_bound_cuts_the_newest_and_says_so(repository: SqliteRepository) -> None:
    made = [in_review(repository, T0 + timedelta(minutes=n), T0 + timedelta(minutes=n))
            for n in range(9)]  # fmt: skip
    reader = QueueReader(repository, "acme", page_size=2, max_read=4)
    assert ids(list(reader)) == made[:4]
    assert reader.truncated


def test_claimed_documents_are_left_out_of_the_page_but_listed_marked(
    repository: SqliteRepository,
) -> None:
    first = in_review(repository, T0, T0)
    second = in_review(repository, T0 + timedelta(minutes=1), T0 + timedelta(minutes=1))
    decision = ReviewDecision(decision="approved", reviewer="ann", at=T0 + timedelta(hours=1))
    assert repository.claim_review("acme", first, run=1, decision=decision) is not None
    assert ids(review_queue(repository, "acme", QueueFilter(), T0).entries) == [second]
    shown, _ = queue_page(repository, "acme", 10)
    assert [(w.document.id, w.claimed) for w in shown] == [(first, True), (second, False)]


def test_the_page_of_a_long_queue_says_its_counts_are_a_lower_bound(
    client: TestClient, repository: SqliteRepository
) -> None:
    oldest = [in_review(repository, T0 + timedelta(seconds=n), T0 + timedelta(seconds=n))
              for n in range(MAX_PAGE_LIMIT + 1)]  # fmt: skip
    signed_in(client)
    page = client.get("/review/").text
    assert ">at least 500</span>" in page
    assert 'id="partial-counts"' in page
    assert 'id="more"' in page
    assert page.count('class="open"') == PAGE_ROWS
    assert oldest[PAGE_ROWS - 1] in page
    assert oldest[PAGE_ROWS] not in page


def test_the_page_of_a_short_queue_counts_it_whole(
    client: TestClient, repository: SqliteRepository
) -> None:
    in_review(repository, T0, T0)
    signed_in(client)
    page = client.get("/review/").text
    assert 'id="total">1<' in page
    assert 'id="partial-counts"' not in page
    assert 'id="more"' not in page
