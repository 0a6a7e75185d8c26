"""The contract every results store passes: one suite, run against each implementation.

A backend's test module subclasses :class:`RepositoryContract` and provides two things: a
``repository`` fixture (an empty store, closed afterwards) and ``open_again`` (a second handle
on the same store, as another process would hold). Every test here then runs against it.
"""

import threading
import uuid
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from docflow_results.models import (
    Document,
    DocumentOptions,
    DocumentStatus,
    ListOrder,
    ReviewDecision,
    StageError,
    WebhookDelivery,
)
from docflow_results.repository import (
    CursorOrderError,
    DocumentIdConflictError,
    DocumentNotFoundError,
    DuplicateIdempotencyKeyError,
    InvalidCursorError,
    InvalidPageLimitError,
    Repository,
)
from docflow_testing.results import T0, new_document

S = DocumentStatus


def event(
    repo: Repository,
    doc: Document,
    status: DocumentStatus | None,
    *,
    event_id: str | None = None,
    at: datetime = T0,
    tenant: str | None = None,
    **extra: Any,
) -> bool:
    return repo.record_event(
        tenant or doc.tenant,
        doc.id,
        event_id=event_id or str(uuid.uuid4()),
        event_type=f"io.docflow.test.{status}.v1",
        at=at,
        status=status,
        detail=extra.pop("detail", {}),
        **extra,
    )


def status_of(repo: Repository, doc: Document) -> DocumentStatus:
    current = repo.get(doc.tenant, doc.id)
    assert current is not None
    return current.status


class RepositoryContract(ABC):
    """Subclass as ``TestXxxRepository`` and provide a ``repository`` fixture."""

    @abstractmethod
    def open_again(self, repository: Repository) -> Repository:
        """Another handle on the same store (the caller closes it)."""

    # -- create and get -------------------------------------------------------------------

    def test_create_then_get_returns_the_received_document(self, repository: Repository) -> None:
        new = new_document(metadata={"ref": "PO-7", "n": 3}, callback_url="https://x.test/hook")
        created, is_new = repository.create(new)
        assert is_new
        assert created.status == S.RECEIVED
        assert (created.id, created.tenant, created.content) == (new.id, new.tenant, new.content)
        assert created.metadata == {"ref": "PO-7", "n": 3}
        assert created.callback_url == "https://x.test/hook"
        assert created.created_at == created.updated_at == T0
        assert (created.error, created.result, created.review) == (None, None, None)
        assert repository.get("acme", new.id) == created

    def test_times_with_an_offset_are_kept_as_the_same_instant(
        self, repository: Repository
    ) -> None:
        offset = T0.astimezone(timezone(timedelta(hours=2)))
        created, _ = repository.create(new_document(created_at=offset))
        assert created.created_at == T0
        assert created.created_at.utcoffset() == timedelta(0)

    def test_same_content_for_the_same_tenant_returns_the_existing_document(
        self, repository: Repository
    ) -> None:
        first, _ = repository.create(new_document(content=b"same bytes"))
        again, is_new = repository.create(new_document(content=b"same bytes"))
        assert not is_new
        assert again.id == first.id

    def test_another_tenant_with_the_same_content_gets_its_own_document(
        self, repository: Repository
    ) -> None:
        mine, _ = repository.create(new_document("acme", b"shared bytes"))
        theirs, is_new = repository.create(new_document("globex", b"shared bytes"))
        assert is_new
        assert theirs.id != mine.id
        assert theirs.tenant == "globex"

    def test_same_idempotency_key_and_content_returns_the_existing_document(
        self, repository: Repository
    ) -> None:
        first, _ = repository.create(new_document(content=b"a", key="k-1"))
        again, is_new = repository.create(new_document(content=b"a", key="k-1"))
        assert (again.id, is_new) == (first.id, False)

    def test_same_idempotency_key_with_other_content_is_refused(
        self, repository: Repository
    ) -> None:
        first, _ = repository.create(new_document(content=b"a", key="k-1"))
        with pytest.raises(DuplicateIdempotencyKeyError) as raised:
            repository.create(new_document(content=b"b", key="k-1"))
        assert raised.value.existing.id == first.id
        assert repository.list_documents("acme").items == [first]

    def test_idempotency_keys_belong_to_one_tenant(self, repository: Repository) -> None:
        repository.create(new_document("acme", b"a", key="k-1"))
        theirs, is_new = repository.create(new_document("globex", b"b", key="k-1"))
        assert is_new
        assert theirs.idempotency_key == "k-1"

    def test_a_new_key_for_known_content_returns_the_existing_document(
        self, repository: Repository
    ) -> None:
        first, _ = repository.create(new_document(content=b"a", key="k-1"))
        again, is_new = repository.create(new_document(content=b"a", key="k-2"))
        assert (again.id, is_new) == (first.id, False)

    def test_creating_a_known_id_again_returns_it_and_another_tenant_cannot_take_it(
        self, repository: Repository
    ) -> None:
        first, _ = repository.create(new_document(document_id="doc-1"))
        again, is_new = repository.create(new_document(document_id="doc-1"))
        assert (again, is_new) == (first, False)
        with pytest.raises(DocumentIdConflictError):
            repository.create(new_document("globex", document_id="doc-1"))
        assert repository.get("globex", "doc-1") is None

    def test_get_of_another_tenants_or_an_unknown_document_is_none(
        self, repository: Repository
    ) -> None:
        created, _ = repository.create(new_document("acme"))
        assert repository.get("globex", created.id) is None
        assert repository.get("acme", "no-such-document") is None

    # -- listing --------------------------------------------------------------------------

    def test_list_is_newest_first_and_holds_only_the_tenants_documents(
        self, repository: Repository
    ) -> None:
        ids = [repository.create(new_document(created_at=T0 + timedelta(minutes=i)))[0].id
               for i in range(3)]  # fmt: skip
        repository.create(new_document("globex"))
        page = repository.list_documents("acme")
        assert [d.id for d in page.items] == ids[::-1]
        assert page.next_cursor is None
        assert repository.list_documents("nobody").items == []

    def test_list_filters_by_status_and_creation_window(self, repository: Repository) -> None:
        docs = [repository.create(new_document(created_at=T0 + timedelta(hours=i)))[0]
                for i in range(4)]  # fmt: skip
        event(repository, docs[1], S.NEEDS_REVIEW)
        event(repository, docs[3], S.NEEDS_REVIEW)
        waiting = repository.list_documents("acme", status=S.NEEDS_REVIEW)
        assert [d.id for d in waiting.items] == [docs[3].id, docs[1].id]
        window = repository.list_documents(
            "acme", created_after=T0 + timedelta(hours=1), created_before=T0 + timedelta(hours=3)
        )
        assert [d.id for d in window.items] == [docs[2].id, docs[1].id]
        both = repository.list_documents(
            "acme", status=S.NEEDS_REVIEW, created_before=T0 + timedelta(hours=3)
        )
        assert [d.id for d in both.items] == [docs[1].id]

    def test_pages_cover_every_document_once_even_with_equal_creation_times(
        self, repository: Repository
    ) -> None:
        # Groups of three share a creation time: the cursor must break ties by id.
        created = {repository.create(new_document(created_at=T0 + timedelta(seconds=i // 3)))[0].id
                   for i in range(23)}  # fmt: skip
        seen = self._all_pages(repository, limit=5)
        assert len(seen) == 23
        assert set(seen) == created
        assert seen == [d.id for d in repository.list_documents("acme", limit=100).items]

    def test_pages_stay_stable_when_documents_arrive_between_pages(
        self, repository: Repository
    ) -> None:
        old = [repository.create(new_document(created_at=T0 + timedelta(seconds=i)))[0].id
               for i in range(6)]  # fmt: skip
        first = repository.list_documents("acme", limit=3)
        repository.create(new_document(created_at=T0 + timedelta(days=1)))
        second = repository.list_documents("acme", limit=3, cursor=first.next_cursor)
        assert [d.id for d in first.items + second.items] == old[::-1]

    def test_a_cursor_keeps_the_filters_it_is_used_with(self, repository: Repository) -> None:
        docs = [repository.create(new_document(created_at=T0 + timedelta(seconds=i)))[0]
                for i in range(6)]  # fmt: skip
        for doc in docs[::2]:
            event(repository, doc, S.EXTRACTED)
        first = repository.list_documents("acme", status=S.EXTRACTED, limit=2)
        rest = repository.list_documents(
            "acme", status=S.EXTRACTED, limit=2, cursor=first.next_cursor
        )
        assert [d.id for d in first.items + rest.items] == [docs[4].id, docs[2].id, docs[0].id]
        assert rest.next_cursor is None

    def test_a_foreign_cursor_or_a_bad_limit_is_refused(self, repository: Repository) -> None:
        with pytest.raises(InvalidCursorError):
            repository.list_documents("acme", cursor="not-a-cursor")
        with pytest.raises(InvalidCursorError):
            repository.list_documents("acme", cursor="")
        for limit in (0, -1, 10_000):
            with pytest.raises(InvalidPageLimitError):
                repository.list_documents("acme", limit=limit)

    def test_oldest_first_pages_through_every_document_once_in_creation_order(
        self, repository: Repository
    ) -> None:
        # Created out of order, and groups of three share a creation time.
        created = [repository.create(new_document(created_at=T0 + timedelta(seconds=s)))[0]
                   for s in (5, 1, 3, 1, 0, 5, 3, 1, 4, 0, 5)]  # fmt: skip
        repository.create(new_document("globex", created_at=T0 - timedelta(days=1)))
        seen = self._all_pages(repository, limit=3, order="oldest")
        assert seen == [d.id for d in sorted(created, key=lambda d: (d.created_at, d.id))]
        assert seen == self._all_pages(repository, limit=4)[::-1]

    def test_oldest_first_breaks_ties_by_id_the_same_way_on_every_read(
        self, repository: Repository
    ) -> None:
        ids = [repository.create(new_document(created_at=T0))[0].id for _ in range(6)]
        first = repository.list_documents("acme", limit=6, order="oldest")
        again = self._all_pages(repository, limit=2, order="oldest")
        assert [d.id for d in first.items] == sorted(ids) == again
        assert first.next_cursor is None

    def test_oldest_first_keeps_the_status_filter_and_window_across_pages(
        self, repository: Repository
    ) -> None:
        docs = [repository.create(new_document(created_at=T0 + timedelta(minutes=i)))[0]
                for i in range(8)]  # fmt: skip
        for doc in docs[1::2]:
            event(repository, doc, S.NEEDS_REVIEW)
        pages = self._all_pages(repository, limit=1, order="oldest", status=S.NEEDS_REVIEW,
                                created_after=T0 + timedelta(minutes=3))  # fmt: skip
        assert pages == [docs[3].id, docs[5].id, docs[7].id]
        early = repository.list_documents(
            "acme", status=S.NEEDS_REVIEW, created_before=T0 + timedelta(minutes=5),
            order="oldest",
        )  # fmt: skip
        assert [d.id for d in early.items] == [docs[1].id, docs[3].id]

    def test_oldest_first_pages_stay_stable_when_documents_arrive_between_pages(
        self, repository: Repository
    ) -> None:
        old = [repository.create(new_document(created_at=T0 + timedelta(seconds=i)))[0].id
               for i in range(4)]  # fmt: skip
        first = repository.list_documents("acme", limit=2, order="oldest")
        repository.create(new_document(created_at=T0 - timedelta(days=1)))  # behind the cursor
        late = repository.create(new_document(created_at=T0 + timedelta(days=1)))[0]
        rest = repository.list_documents("acme", limit=2, cursor=first.next_cursor, order="oldest")
        assert [d.id for d in first.items + rest.items] == old
        last = repository.list_documents("acme", limit=2, cursor=rest.next_cursor, order="oldest")
        assert ([d.id for d in last.items], last.next_cursor) == ([late.id], None)

    def test_a_cursor_of_the_other_order_is_refused(self, repository: Repository) -> None:
        for i in range(3):
            repository.create(new_document(created_at=T0 + timedelta(seconds=i)))
        newest = repository.list_documents("acme", limit=1).next_cursor
        oldest = repository.list_documents("acme", limit=1, order="oldest").next_cursor
        assert newest is not None
        assert oldest is not None
        with pytest.raises(CursorOrderError):
            repository.list_documents("acme", cursor=newest, order="oldest")
        with pytest.raises(CursorOrderError):
            repository.list_documents("acme", cursor=oldest)
        with pytest.raises(InvalidCursorError):
            repository.list_documents("acme", cursor="not-a-cursor", order="oldest")

    # -- events and status ----------------------------------------------------------------

    def test_record_event_appends_to_the_timeline_once_per_event_id(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document())
        later = T0 + timedelta(seconds=5)
        detail = {"page_count": 3, "handler_seconds": 0.25}
        assert event(repository, doc, S.EXTRACTED, event_id="e-1", at=later, detail=detail)
        assert not event(repository, doc, S.EXTRACTED, event_id="e-1", at=later, detail=detail)
        timeline = repository.timeline("acme", doc.id)
        assert [(t.event_id, t.status, t.at, t.detail) for t in timeline] == [
            ("e-1", S.EXTRACTED, later, detail)
        ]
        current = repository.get("acme", doc.id)
        assert current is not None
        assert (current.status, current.updated_at) == (S.EXTRACTED, later)

    def test_a_replayed_event_does_not_apply_its_effects_again(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, S.NEEDS_REVIEW, event_id="e-1", review={"findings": 1})
        event(repository, doc, S.VALIDATED)
        assert not event(repository, doc, S.NEEDS_REVIEW, event_id="e-1", review={"x": 2})
        assert status_of(repository, doc) == S.VALIDATED

    def test_the_timeline_is_in_arrival_order_and_keeps_events_without_status(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document())
        for name, status in (("a", S.RECEIVED), ("b", None), ("c", S.EXTRACTED)):
            event(repository, doc, status, event_id=name)
        timeline = repository.timeline("acme", doc.id)
        assert [(t.event_id, t.status) for t in timeline] == [
            ("a", S.RECEIVED), ("b", None), ("c", S.EXTRACTED)
        ]  # fmt: skip
        assert status_of(repository, doc) == S.EXTRACTED

    def test_the_timeline_is_in_event_time_whatever_the_order_of_arrival(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document())
        second = T0 + timedelta(seconds=1)
        arrivals = (("stored", S.STORED, T0 + timedelta(seconds=2)), ("received", S.RECEIVED, T0),
                    ("enriched", S.ENRICHED, second), ("note", None, second))  # fmt: skip
        for name, status, at in arrivals:
            event(repository, doc, status, event_id=name, at=at)
        timeline = repository.timeline("acme", doc.id)
        assert [t.event_id for t in timeline] == ["received", "enriched", "note", "stored"]

    @pytest.mark.parametrize(
        ("first", "late", "expected"),
        [
            (S.ENRICHED, S.EXTRACTED, S.ENRICHED),
            (S.ENRICHED, S.VALIDATED, S.ENRICHED),
            (S.VALIDATED, S.RECEIVED, S.VALIDATED),
            (S.NEEDS_REVIEW, S.VALIDATED, S.VALIDATED),
            (S.EXTRACTED, S.ENRICHED, S.ENRICHED),
        ],
    )
    def test_status_only_moves_forward(
        self,
        repository: Repository,
        first: DocumentStatus,
        late: DocumentStatus,
        expected: DocumentStatus,
    ) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, first)
        assert event(repository, doc, late), "the event is still recorded in the timeline"
        assert status_of(repository, doc) == expected
        assert len(repository.timeline("acme", doc.id)) == 2

    @pytest.mark.parametrize("final", [S.STORED, S.REJECTED, S.FAILED])
    @pytest.mark.parametrize("late", [S.RECEIVED, S.ENRICHED, S.STORED, S.REJECTED, S.FAILED])
    def test_final_states_are_sticky(
        self, repository: Repository, final: DocumentStatus, late: DocumentStatus
    ) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, final)
        event(repository, doc, late, error=StageError(stage="late", reason="too late"))
        current = repository.get("acme", doc.id)
        assert current is not None
        assert current.status == final
        assert current.error is None

    @pytest.mark.parametrize("before", [S.RECEIVED, S.EXTRACTED, S.NEEDS_REVIEW, S.ENRICHED])
    def test_failed_ends_any_unfinished_run_with_its_error(
        self, repository: Repository, before: DocumentStatus
    ) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, before)
        error = StageError(stage="extract", reason="not a PDF", error_class="PermanentError")
        event(repository, doc, S.FAILED, error=error)
        current = repository.get("acme", doc.id)
        assert current is not None
        assert (current.status, current.error) == (S.FAILED, error)

    def test_review_data_is_kept_for_the_reviewer(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document())
        review = {"rule_pack": "nda", "findings": [{"rule": "r1", "severity": "error"}]}
        event(repository, doc, S.NEEDS_REVIEW, review=review)
        waiting = repository.get("acme", doc.id)
        assert waiting is not None
        assert (waiting.status, waiting.review) == (S.NEEDS_REVIEW, review)
        event(repository, doc, S.VALIDATED)
        approved = repository.get("acme", doc.id)
        assert approved is not None
        assert (approved.status, approved.review) == (S.VALIDATED, review)

    def test_events_for_another_tenants_document_are_refused(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document("acme"))
        with pytest.raises(DocumentNotFoundError):
            event(repository, doc, S.FAILED, tenant="globex")
        with pytest.raises(DocumentNotFoundError):
            repository.record_event(
                "acme", "no-such-document", event_id="e", event_type="t", at=T0,
                status=S.EXTRACTED, detail={},
            )  # fmt: skip
        assert status_of(repository, doc) == S.RECEIVED
        assert repository.timeline("acme", doc.id) == []

    def test_the_timeline_of_another_tenants_document_is_empty(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document("acme"))
        event(repository, doc, S.EXTRACTED)
        assert len(repository.timeline("acme", doc.id)) == 1
        assert repository.timeline("globex", doc.id) == []

    # -- results and reprocessing ---------------------------------------------------------

    def test_save_result_stores_the_record_and_is_idempotent(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document())
        record = {"classification": {"type": "nda", "confidence": 0.9}, "cost_usd": 0.0}
        repository.save_result("acme", doc.id, record)
        first = repository.get("acme", doc.id)
        repository.save_result("acme", doc.id, dict(reversed(record.items())))
        again = repository.get("acme", doc.id)
        assert first is not None
        assert first.result == record
        assert again == first, "the same record again changes nothing, not even updated_at"

    def test_save_result_for_another_tenants_document_changes_nothing(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document("acme"))
        with pytest.raises(DocumentNotFoundError):
            repository.save_result("globex", doc.id, {"summary": "forged"})
        assert repository.get("acme", doc.id) == doc

    def test_reprocess_starts_a_new_run_and_keeps_the_timeline(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, S.NEEDS_REVIEW, review={"findings": []})
        event(repository, doc, S.FAILED, error=StageError(stage="enrich", reason="timeout"))
        repository.save_result("acme", doc.id, {"summary": "old"})
        later = T0 + timedelta(hours=1)
        reset = repository.reset_for_reprocess("acme", doc.id, later, run=2)
        assert (reset.status, reset.run) == (S.RECEIVED, 2)
        assert (reset.error, reset.result, reset.review) == (None, None, None)
        assert reset.updated_at == later
        assert len(repository.timeline("acme", doc.id)) == 2
        event(repository, doc, S.STORED, run=2)
        assert status_of(repository, doc) == S.STORED

    def test_reprocess_keeps_the_options_unless_new_ones_are_given(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document(
            document_type_hint="nda", callback_url="https://x.test/old", metadata={"ref": "PO-7"},
        ))  # fmt: skip
        event(repository, doc, S.FAILED)
        kept = repository.reset_for_reprocess("acme", doc.id, T0, run=2)
        assert (kept.document_type_hint, kept.callback_url, kept.metadata) == (
            "nda", "https://x.test/old", {"ref": "PO-7"}
        )  # fmt: skip
        event(repository, doc, S.FAILED, run=2)
        new = DocumentOptions(document_type_hint="invoice", metadata={"ref": "PO-8", "n": [1]})
        reset = repository.reset_for_reprocess("acme", doc.id, T0, new, run=3)
        assert (reset.document_type_hint, reset.callback_url, reset.metadata) == (
            "invoice", None, {"ref": "PO-8", "n": [1]}
        )  # fmt: skip
        assert reset.status == S.RECEIVED
        assert (reset.content, reset.filename) == (doc.content, doc.filename)
        assert repository.get("acme", doc.id) == reset

    def test_reprocess_of_another_tenants_document_is_refused(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document("acme"))
        event(repository, doc, S.FAILED)
        with pytest.raises(DocumentNotFoundError):
            repository.reset_for_reprocess("globex", doc.id, T0, run=2)
        with pytest.raises(DocumentNotFoundError):
            repository.reset_for_reprocess(
                "globex", doc.id, T0, DocumentOptions(metadata={"x": 1}), run=2
            )
        current = repository.get("acme", doc.id)
        assert current is not None
        assert (current.status, current.metadata) == (S.FAILED, {})

    # -- runs -----------------------------------------------------------------------------

    def test_events_of_an_earlier_run_are_ignored(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, S.STORED)
        repository.reset_for_reprocess("acme", doc.id, T0, run=2)
        event(repository, doc, S.EXTRACTED, run=2)
        late = StageError(stage="enrich", reason="of the first run")
        assert not event(repository, doc, S.FAILED, error=late, event_id="late", run=1)
        current = repository.get("acme", doc.id)
        assert current is not None
        assert (current.status, current.error, current.run) == (S.EXTRACTED, None, 2)
        assert "late" not in {t.event_id for t in repository.timeline("acme", doc.id)}

    def test_an_event_of_a_later_run_starts_that_run(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, S.FAILED, error=StageError(stage="extract", reason="broken"))
        repository.save_result("acme", doc.id, {"summary": "old"})
        assert event(repository, doc, S.EXTRACTED, run=2)
        current = repository.get("acme", doc.id)
        assert current is not None
        assert (current.status, current.run, current.error, current.result) == (
            S.EXTRACTED, 2, None, None
        )  # fmt: skip
        assert [t.run for t in repository.timeline("acme", doc.id)] == [1, 2]

    def test_resetting_for_a_run_already_started_keeps_its_progress(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, S.FAILED)
        event(repository, doc, S.VALIDATED, run=2)  # the tracker saw the run before ingest
        options = DocumentOptions(document_type_hint="invoice")
        reset = repository.reset_for_reprocess("acme", doc.id, T0, options, run=2)
        assert (reset.status, reset.run, reset.document_type_hint) == (S.VALIDATED, 2, "invoice")

    def test_a_result_of_another_run_is_not_kept(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document())
        repository.reset_for_reprocess("acme", doc.id, T0, run=2)
        assert not repository.save_result("acme", doc.id, {"summary": "stale"}, run=1)
        assert repository.save_result("acme", doc.id, {"summary": "fresh"}, run=2)
        current = repository.get("acme", doc.id)
        assert current is not None
        assert current.result == {"summary": "fresh"}

    def test_a_review_is_decided_once_per_run(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, S.NEEDS_REVIEW, review={"findings": []})
        first = ReviewDecision(decision="approved", reviewer="ann", at=T0)
        second = ReviewDecision(decision="rejected", reviewer="bob", at=T0)
        claimed = repository.claim_review("acme", doc.id, run=1, decision=first)
        assert claimed is not None
        assert claimed.decision == first
        assert repository.claim_review("acme", doc.id, run=1, decision=second) is None
        repository.release_review("acme", doc.id, run=1)
        assert repository.claim_review("acme", doc.id, run=1, decision=second) is not None

    def test_a_review_is_claimed_only_while_its_run_waits_for_one(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document())
        decision = ReviewDecision(decision="approved", reviewer="ann", at=T0)
        assert repository.claim_review("acme", doc.id, run=1, decision=decision) is None
        event(repository, doc, S.NEEDS_REVIEW, review={"findings": []})
        assert repository.claim_review("acme", doc.id, run=2, decision=decision) is None
        with pytest.raises(DocumentNotFoundError):
            repository.claim_review("globex", doc.id, run=1, decision=decision)
        repository.reset_for_reprocess("acme", doc.id, T0, run=2)
        event(repository, doc, S.NEEDS_REVIEW, review={"findings": []}, run=2)
        current = repository.get("acme", doc.id)
        assert current is not None
        assert current.decision is None
        assert repository.claim_review("acme", doc.id, run=2, decision=decision) is not None

    # -- stalled documents and their last step ---------------------------------------------

    def test_the_event_that_set_the_status_is_kept_as_the_step(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document())
        event(repository, doc, S.EXTRACTED, step={"id": "e1", "type": "extracted"})
        event(repository, doc, S.RECEIVED, step={"id": "e0", "type": "received"})  # late
        event(repository, doc, None, step={"id": "note"})
        current = repository.get("acme", doc.id)
        assert current is not None
        assert current.step == {"id": "e1", "type": "extracted"}
        event(repository, doc, S.VALIDATED, step={"id": "e2"}, run=2)
        current = repository.get("acme", doc.id)
        assert current is not None
        assert current.step == {"id": "e2"}

    def test_stalled_lists_documents_a_stage_should_have_moved_on(
        self, repository: Repository
    ) -> None:
        hour = timedelta(hours=1)
        stuck: dict[DocumentStatus, str] = {}
        for status in (S.RECEIVED, S.EXTRACTED, S.VALIDATED, S.ENRICHED):
            doc, _ = repository.create(new_document(tenant="acme" if stuck else "globex"))
            event(repository, doc, status, at=T0 + hour * len(stuck))
            stuck[status] = doc.id
        for status in (S.NEEDS_REVIEW, S.STORED, S.FAILED, S.REJECTED):
            doc, _ = repository.create(new_document())
            event(repository, doc, status)
        recent, _ = repository.create(new_document())
        event(repository, recent, S.EXTRACTED, at=T0 + 10 * hour)
        found = repository.stalled(T0 + 5 * hour)
        assert [d.id for d in found] == list(stuck.values()), "both tenants, longest first"
        assert [d.id for d in repository.stalled(T0 + 5 * hour, limit=2)] == [
            stuck[S.RECEIVED], stuck[S.EXTRACTED]
        ]  # fmt: skip

    def test_unannounced_lists_final_documents_whose_webhook_never_went(
        self, repository: Repository
    ) -> None:
        later = T0 + timedelta(hours=1)
        documents = {}
        for name in ("announced", "unannounced", "no-callback", "recent", "on-the-way"):
            url = None if name == "no-callback" else "https://x.test/hook"
            doc, _ = repository.create(new_document(callback_url=url))
            documents[name] = doc
        for name, doc in documents.items():
            status = S.EXTRACTED if name == "on-the-way" else S.STORED
            at = later + timedelta(hours=1) if name == "recent" else T0
            event(repository, doc, status, at=at, step={"id": f"step-{name}"})
        repository.record_webhook(WebhookDelivery(
            id="step-announced/1", document_id=documents["announced"].id, url="https://x.test",
            attempt=1, status_code=503, error="HTTP 503", delivered=False, at=T0,
        ))  # fmt: skip
        found = repository.unannounced(later)
        assert [d.id for d in found] == [documents["unannounced"].id]

    # -- attachments: parents and children ------------------------------------------------

    def test_children_are_listed_with_their_parent_oldest_first(
        self, repository: Repository
    ) -> None:
        parent, _ = repository.create(new_document(filename="mail.eml"))
        later, _ = repository.create(
            new_document(parent_id=parent.id, filename="b.pdf", created_at=T0 + timedelta(1))
        )
        earlier, _ = repository.create(new_document(parent_id=parent.id, filename="a.txt"))
        event(repository, later, S.STORED)
        children = repository.children("acme", parent.id)
        assert [(c.id, c.filename, c.status) for c in children] == [
            (earlier.id, "a.txt", S.RECEIVED), (later.id, "b.pdf", S.STORED),
        ]  # fmt: skip
        assert children[0].media_type == "application/pdf"
        assert children[0].created_at == T0
        stored = repository.get("acme", later.id)
        assert stored is not None
        assert stored.parent_id == parent.id
        assert repository.get("acme", parent.id) == parent
        assert parent.parent_id is None

    def test_children_of_a_document_without_any_or_of_another_tenant_are_none(
        self, repository: Repository
    ) -> None:
        parent, _ = repository.create(new_document("acme"))
        repository.create(new_document("acme", parent_id=parent.id))
        alone, _ = repository.create(new_document("acme"))
        assert repository.children("acme", alone.id) == []
        assert repository.children("globex", parent.id) == []
        assert repository.children("acme", "no-such-document") == []

    def test_an_attachment_is_never_deduplicated_by_content(self, repository: Repository) -> None:
        upload, _ = repository.create(new_document(content=b"attached twice"))
        first = new_document(content=b"attached twice", parent_id=upload.id)
        second = new_document(content=b"attached twice", parent_id=upload.id)
        made = [repository.create(first), repository.create(second)]
        assert [(d.id, is_new) for d, is_new in made] == [(first.id, True), (second.id, True)]
        # Creating the same child again (a redelivered parent) makes nothing new.
        again, is_new = repository.create(first)
        assert (again.id, is_new) == (first.id, False)
        # An upload of the same content finds the upload, never an attachment.
        other, is_new = repository.create(new_document(content=b"attached twice"))
        assert (other.id, is_new) == (upload.id, False)
        assert len(repository.children("acme", upload.id)) == 2

    def test_deleting_an_attachment_frees_nothing_of_the_upload_with_its_content(
        self, repository: Repository
    ) -> None:
        upload, _ = repository.create(new_document(content=b"shared content"))
        child, _ = repository.create(new_document(content=b"shared content", parent_id=upload.id))
        assert repository.delete("acme", child.id)
        assert repository.children("acme", upload.id) == []
        again, is_new = repository.create(new_document(content=b"shared content"))
        assert (again.id, is_new) == (upload.id, False)

    # -- deleting -------------------------------------------------------------------------

    def test_delete_removes_the_document_and_what_belongs_to_it(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document(content=b"refused upload", key="k-1"))
        event(repository, doc, S.RECEIVED)
        repository.record_webhook(
            WebhookDelivery(id="w-1", document_id=doc.id, url="https://x.test", attempt=1,
                            status_code=204, error=None, delivered=True, at=T0)
        )  # fmt: skip
        assert repository.delete("acme", doc.id)
        assert repository.get("acme", doc.id) is None
        assert repository.timeline("acme", doc.id) == []
        assert repository.webhook_deliveries("acme", doc.id) == []
        assert not repository.delete("acme", doc.id)
        # The content and the key are free again: a retried upload creates a new document.
        again, is_new = repository.create(new_document(content=b"refused upload", key="k-1"))
        assert is_new
        assert again.id != doc.id

    def test_delete_of_another_tenants_document_changes_nothing(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document("acme"))
        assert not repository.delete("globex", doc.id)
        assert repository.get("acme", doc.id) == doc

    # -- webhooks -------------------------------------------------------------------------

    def test_webhook_deliveries_are_logged_in_order_once_per_id(
        self, repository: Repository
    ) -> None:
        doc, _ = repository.create(new_document("acme"))
        attempts = [
            WebhookDelivery(id="ev-1/1", document_id=doc.id, url="https://x.test/h", attempt=1,
                            status_code=503, error="HTTP 503", delivered=False, at=T0),
            WebhookDelivery(id="ev-1/2", document_id=doc.id, url="https://x.test/h", attempt=2,
                            status_code=204, error=None, delivered=True,
                            at=T0 + timedelta(seconds=1)),
        ]  # fmt: skip
        for delivery in [*attempts, attempts[0]]:
            repository.record_webhook(delivery)
        assert repository.webhook_deliveries("acme", doc.id) == attempts
        assert repository.webhook_deliveries("globex", doc.id) == []

    def test_a_webhook_delivery_for_an_unknown_document_is_refused(
        self, repository: Repository
    ) -> None:
        with pytest.raises(DocumentNotFoundError):
            repository.record_webhook(
                WebhookDelivery(id="x", document_id="nope", url="https://x.test", attempt=1,
                                status_code=None, error="refused", delivered=False, at=T0)
            )  # fmt: skip

    # -- concurrency ----------------------------------------------------------------------

    def test_concurrent_writers_from_threads_lose_nothing(self, repository: Repository) -> None:
        doc, _ = repository.create(new_document("acme"))
        statuses = [S.RECEIVED, S.EXTRACTED, S.VALIDATED, S.ENRICHED]

        def work(worker: int) -> None:
            for i in range(15):
                repository.create(new_document(f"tenant-{worker % 3}"))
                # Every thread records every event: each must land exactly once.
                event(repository, doc, statuses[i % 4], event_id=f"e-{i}")

        _run_threads(work, 8)
        counts = Counter(
            d.tenant
            for t in range(3)
            for d in repository.list_documents(f"tenant-{t}", limit=500).items
        )
        assert sum(counts.values()) == 8 * 15
        assert sorted(t.event_id for t in repository.timeline("acme", doc.id)) == sorted(
            f"e-{i}" for i in range(15)
        )
        assert status_of(repository, doc) == S.ENRICHED

    def test_concurrent_uploads_of_the_same_content_create_one_document(
        self, repository: Repository
    ) -> None:
        results: list[tuple[Document, bool]] = []
        lock = threading.Lock()

        def upload(_worker: int) -> None:
            outcome = repository.create(new_document(content=b"one file, many clicks"))
            with lock:
                results.append(outcome)

        _run_threads(upload, 12)
        assert sum(created for _, created in results) == 1
        assert len({doc.id for doc, _ in results}) == 1

    def test_two_handles_on_one_store_see_each_others_writes(self, repository: Repository) -> None:
        other = self.open_again(repository)
        try:
            doc, _ = repository.create(new_document())
            assert event(other, doc, S.EXTRACTED)
            assert not event(repository, doc, S.EXTRACTED, event_id=other.timeline(
                "acme", doc.id)[0].event_id)  # fmt: skip
            assert status_of(repository, doc) == S.EXTRACTED
        finally:
            other.close()

    @staticmethod
    def _all_pages(
        repository: Repository, limit: int, order: ListOrder = "newest", **filters: Any
    ) -> list[str]:
        seen: list[str] = []
        cursor: str | None = None
        for _ in range(100):
            page = repository.list_documents(
                "acme", limit=limit, cursor=cursor, order=order, **filters
            )
            seen.extend(d.id for d in page.items)
            cursor = page.next_cursor
            if cursor is None:
                return seen
        raise AssertionError("pagination did not end")


def _run_threads(work: Callable[[int], None], count: int) -> None:
    failures: list[BaseException] = []
    start = threading.Barrier(count)

    def run(worker: int) -> None:
        try:
            start.wait(timeout=10)
            work(worker)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "writers did not finish within 60 s"
    assert failures == [], failures
