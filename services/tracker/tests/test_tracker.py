"""The tracker turns each flow event into a status and a timeline entry."""

import json
from datetime import timedelta

import pytest
from prometheus_client import REGISTRY

from docflow_events import Envelope, Topic, model_for
from docflow_events.v1 import DocumentReceived
from docflow_results.models import Document, DocumentStatus, StageError
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.errors import PermanentError
from docflow_testing.events import T0, DocumentFlow, through_kafka
from docflow_tracker.stage import Tracker

S = DocumentStatus


@pytest.fixture
def tracker(repository: SqliteRepository) -> Tracker:
    return Tracker(repository)


def current(repository: SqliteRepository, flow: DocumentFlow) -> Document:
    document = repository.get(flow.tenant, flow.document_id)
    assert document is not None
    return document


def end_to_end_count() -> float:
    return REGISTRY.get_sample_value("docflow_document_end_to_end_seconds_count") or 0.0


def test_the_tracker_follows_every_flow_topic() -> None:
    assert set(Tracker.inputs) == set(Topic)
    assert Tracker.name == "tracker"


def test_a_document_through_review_to_stored(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    steps = [
        (flow.received(), S.RECEIVED),
        (flow.extracted(), S.EXTRACTED),
        (flow.validation_failed(), S.NEEDS_REVIEW),
        (flow.review("approved"), S.VALIDATED),
        (flow.enriched(passed=False), S.ENRICHED),
        (flow.stored(), S.STORED),
    ]
    before = end_to_end_count()
    for data, expected in steps:
        assert tracker.handle(through_kafka(data)) == []
        assert current(repository, flow).status == expected, data.event_type
    timeline = repository.timeline("acme", "doc-1")
    assert [t.status for t in timeline] == [expected for _, expected in steps]
    assert [t.event_type for t in timeline] == [data.event_type for data, _ in steps]
    assert end_to_end_count() == before + 1


def test_the_timeline_keeps_small_facts_and_no_content(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    for data in (flow.received(), flow.extracted(0.42), flow.validation_failed(0.05)):
        tracker.handle(through_kafka(data))
    received, extracted, validated = (t.detail for t in repository.timeline("acme", "doc-1"))
    assert received == {"media_type": "application/pdf", "size": flow.content.size}
    assert extracted["handler_seconds"] == 0.42
    assert (extracted["page_count"], extracted["ocr_page_count"]) == (3, 1)
    assert (extracted["backend"], extracted["cost_usd"]) == ("textract", 0.015)
    assert validated["finding_count"] == validated["error_count"] == 1
    everything = json.dumps([t.detail for t in repository.timeline("acme", "doc-1")])
    for content in ("No term found", "nda.pdf", "case-7", flow.content.url):
        assert content not in everything


def test_a_failed_validation_keeps_the_event_for_the_reviewer(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    tracker.handle(through_kafka(flow.received()))
    failed = flow.validation_failed()
    tracker.handle(through_kafka(failed))
    document = current(repository, flow)
    assert document.status == S.NEEDS_REVIEW
    assert document.review == failed.model_dump(mode="json")
    assert document.review["findings"][0]["rule"] == "nda.term_present"


def test_a_rejected_review_is_final(tracker: Tracker, repository: SqliteRepository) -> None:
    flow = DocumentFlow("doc-1")
    for data in (flow.received(), flow.validation_failed(), flow.review("rejected")):
        tracker.handle(through_kafka(data))
    tracker.handle(through_kafka(flow.enriched()))
    assert current(repository, flow).status == S.REJECTED
    assert repository.timeline("acme", "doc-1")[2].detail == {
        "decision": "rejected", "reviewer": "reviewer@acme.test", "corrected_fields": 0,
    }  # fmt: skip


def test_a_failure_records_the_stage_and_reason(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    tracker.handle(through_kafka(flow.received()))
    tracker.handle(through_kafka(flow.failed("extract")))
    document = current(repository, flow)
    assert document.status == S.FAILED
    assert document.error == StageError(
        stage="extract",
        reason="not a PDF: the content starts with an HTML tag",
        error_class="UnsupportedFormatError",
    )


def test_a_late_failure_does_not_undo_a_stored_document(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    for data in (flow.received(), flow.enriched(), flow.stored(), flow.failed("notify")):
        tracker.handle(through_kafka(data))
    document = current(repository, flow)
    assert (document.status, document.error) == (S.STORED, None)
    assert len(repository.timeline("acme", "doc-1")) == 4


def test_late_events_of_earlier_steps_do_not_move_the_status_back(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    for data in (flow.received(), flow.enriched(), flow.validation_passed(), flow.extracted()):
        tracker.handle(through_kafka(data))
    assert current(repository, flow).status == S.ENRICHED


def test_a_redelivered_event_is_recorded_and_measured_once(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    tracker.handle(through_kafka(flow.received()))
    stored = flow.stored()
    before = end_to_end_count()
    for _ in range(3):
        tracker.handle(through_kafka(stored, event_id="stored-1"))
    assert len(repository.timeline("acme", "doc-1")) == 2
    assert end_to_end_count() == before + 1


def test_end_to_end_time_is_measured_from_creation(tracker: Tracker) -> None:
    flow = DocumentFlow("doc-1")
    tracker.handle(through_kafka(flow.received()))
    name = "docflow_document_end_to_end_seconds_bucket"
    under_10 = REGISTRY.get_sample_value(name, {"le": "10.0"}) or 0.0
    under_30 = REGISTRY.get_sample_value(name, {"le": "30.0"}) or 0.0
    tracker.handle(through_kafka(flow.stored(after=timedelta(seconds=12))))
    assert REGISTRY.get_sample_value(name, {"le": "10.0"}) == under_10
    assert REGISTRY.get_sample_value(name, {"le": "30.0"}) == under_30 + 1


def test_document_received_creates_a_document_ingest_did_not(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-9")
    received = flow.received(callback_url="https://hooks.acme.test/docflow")
    tracker.handle(through_kafka(received))
    document = current(repository, flow)
    assert document.status == S.RECEIVED
    assert (document.filename, document.callback_url) == ("nda.pdf", received.callback_url)
    assert (document.content, document.created_at) == (flow.content, T0)


def test_events_of_unknown_or_foreign_documents_change_nothing(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    mine = DocumentFlow("doc-1", "acme")
    tracker.handle(through_kafka(mine.received()))
    intruder = DocumentFlow("doc-1", "globex")
    assert tracker.handle(through_kafka(intruder.failed())) == []
    assert tracker.handle(through_kafka(DocumentFlow("ghost").stored())) == []
    assert current(repository, mine).status == S.RECEIVED
    assert repository.get("globex", "doc-1") is None
    assert repository.get("acme", "ghost") is None


def test_a_received_event_with_another_tenants_id_creates_nothing(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    tracker.handle(through_kafka(DocumentFlow("doc-1", "acme").received()))
    intruder = DocumentFlow("doc-1", "globex", content=DocumentFlow("x").content)
    assert tracker.handle(through_kafka(intruder.received())) == []
    assert repository.get("globex", "doc-1") is None
    assert len(repository.timeline("acme", "doc-1")) == 1


def test_an_event_type_without_a_mapping_is_permanent(tracker: Tracker) -> None:
    class Unknown(DocumentReceived):
        event_type = "io.docflow.unknown.v1"

    # A type the binding decodes (a future version) that nobody taught the tracker.
    data = Unknown(**DocumentFlow("doc-1").received().model_dump())
    with pytest.raises(PermanentError, match="no mapping"):
        tracker.handle(Envelope.wrap(data, id="e-1", source="/tests"))


def test_a_late_event_of_an_earlier_run_does_not_touch_the_new_run(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    tracker.handle(through_kafka(flow.received()))
    tracker.handle(through_kafka(flow.received().model_copy(update={"run": 2})))
    tracker.handle(through_kafka(flow.extracted().model_copy(update={"run": 2})))
    tracker.handle(through_kafka(flow.failed()))  # run 1's failure, arriving late
    document = current(repository, flow)
    assert (document.status, document.run, document.error) == (S.EXTRACTED, 2, None)


def test_the_event_that_moved_the_document_is_kept_to_re_drive_it(
    tracker: Tracker, repository: SqliteRepository
) -> None:
    flow = DocumentFlow("doc-1")
    tracker.handle(through_kafka(flow.received()))
    extracted = through_kafka(flow.extracted(), event_id="extracted-1")
    tracker.handle(extracted)
    step = current(repository, flow).step
    assert step is not None
    assert (step["id"], step["type"]) == ("extracted-1", extracted.type)
    assert model_for(step["type"]).model_validate(step["data"]) == extracted.data
