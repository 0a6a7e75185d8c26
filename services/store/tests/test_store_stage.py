"""The store stage builds the final record from the claim-checked results and keeps it."""

import json
from datetime import date
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from docflow_events.v1 import BlobRef, Classification, Cost, DocumentStored
from docflow_events.v1.results import (
    EnrichmentResult,
    Entities,
    ExtractionResult,
    KeyValue,
    Money,
    Page,
    Table,
)
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore
from docflow_runtime.errors import PermanentError, TransientError
from docflow_runtime.finite import NonFiniteNumberError
from docflow_store.stage import Store
from docflow_testing.events import DocumentFlow, through_kafka
from docflow_tracker.stage import Tracker

EXTRACTION = ExtractionResult(
    document_id="doc-1",
    media_type="application/pdf",
    backend="textract",
    pages=[
        Page(number=1, text="MUTUAL NON-DISCLOSURE AGREEMENT between Acme Corp and Globex",
             method="text_layer", seconds=0.01),
        Page(number=2, text="Term: two (2) years. Fee: $5,000.00", method="ocr",
             ocr_confidence=91.5, seconds=2.3),
    ],
    tables=[Table(page=2, rows=[["Item", "Amount"], ["Fee", "$5,000.00"]])],
    key_values=[KeyValue(key="Effective Date", value="March 1, 2026", page=1)],
    warnings=["page 2 had no text layer; OCR used"],
    cost=Cost(backend="textract", usd=0.015),
)  # fmt: skip
ENRICHMENT = EnrichmentResult(
    document_id="doc-1",
    backend="bedrock",
    classification=Classification(type="nda", confidence=0.93),
    entities=Entities(
        parties=["Acme Corp", "Globex"],
        effective_date=date(2026, 3, 1),
        jurisdiction="Delaware",
        term="2 years",
        amounts=[Money(value=5000.0, currency="USD")],
        dates=[date(2026, 3, 1)],
    ),
    summary="A mutual NDA between Acme Corp and Globex for two years.",
    cost=Cost(backend="bedrock", usd=0.002),
)


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def flow(blobs: LocalBlobStore, repository: SqliteRepository) -> DocumentFlow:
    extraction = blobs.put_bytes(
        "acme/doc-1/extraction.json", EXTRACTION.model_dump_json().encode()
    )
    enrichment = blobs.put_bytes(
        "acme/doc-1/enrichment.json", ENRICHMENT.model_dump_json().encode()
    )
    flow = DocumentFlow("doc-1", extraction=extraction, enrichment=enrichment)
    Tracker(repository).handle(through_kafka(flow.received()))
    return flow


@pytest.fixture
def store(repository: SqliteRepository, blobs: LocalBlobStore) -> Store:
    return Store(repository, blobs, max_result_bytes=1024 * 1024)


def cost_total(backend: str) -> float:
    return REGISTRY.get_sample_value("docflow_backend_cost_usd_total", {"backend": backend}) or 0.0


def track(repository: SqliteRepository, *events: object) -> None:
    tracker = Tracker(repository)
    for data in events:
        tracker.handle(through_kafka(data))  # type: ignore[arg-type]


def test_the_record_has_every_field_of_the_public_contract(
    store: Store, flow: DocumentFlow, repository: SqliteRepository
) -> None:
    track(repository, flow.extracted(0.42), flow.validation_passed(0.05))
    outputs = store.handle(through_kafka(flow.enriched(1.5)))
    document = repository.get("acme", "doc-1")
    assert document is not None
    assert document.result is not None
    result = document.result
    assert result["classification"] == {
        "type": "nda", "confidence": 0.93, "hint": None, "text_type": None
    }  # fmt: skip
    entities = result["entities"]
    assert entities["parties"] == ["Acme Corp", "Globex"]
    assert (entities["effective_date"], entities["jurisdiction"], entities["term"]) == (
        "2026-03-01", "Delaware", "2 years"
    )  # fmt: skip
    assert entities["amounts"] == [{"value": 5000.0, "currency": "USD", "context": None}]
    assert entities["dates"] == ["2026-03-01"]
    assert result["summary"] == ENRICHMENT.summary
    assert result["key_values"][0]["key"] == "Effective Date"
    assert result["tables"] == [
        {"page": 2, "rows": [["Item", "Amount"], ["Fee", "$5,000.00"]], "merged_cells": []}
    ]
    assert result["pages"] == [
        {"number": 1, "method": "text_layer", "text": EXTRACTION.pages[0].text,
         "ocr_confidence": None},
        {"number": 2, "method": "ocr", "text": EXTRACTION.pages[1].text, "ocr_confidence": 91.5},
    ]  # fmt: skip
    assert result["validation"] == {"passed": True, "findings": []}
    assert result["cost_usd"] == 0.017
    assert set(result["timings"]) == {"extract", "validate", "enrich", "store"}
    assert (result["timings"]["extract"], result["timings"]["validate"]) == (0.42, 0.05)
    assert result["timings"]["enrich"] == 1.5
    assert 0 <= result["timings"]["store"] < 60
    assert len(outputs) == 1
    stored = outputs[0]
    assert isinstance(stored, DocumentStored)
    assert (stored.document_id, stored.tenant, stored.store) == ("doc-1", "acme", "sqlite")
    assert stored.cost_usd == 0.017


def test_findings_and_corrections_of_a_reviewed_document_are_kept(
    store: Store, flow: DocumentFlow, repository: SqliteRepository
) -> None:
    store.handle(through_kafka(flow.enriched(passed=False)))
    document = repository.get("acme", "doc-1")
    assert document is not None
    assert document.result is not None
    assert document.result["validation"]["passed"] is False
    assert document.result["validation"]["findings"][0]["rule"] == "nda.term_present"
    assert document.result["corrections"] == {"term": "2 years"}


def test_timings_the_tracker_has_not_seen_are_left_out(
    store: Store, flow: DocumentFlow, repository: SqliteRepository
) -> None:
    store.handle(through_kafka(flow.enriched()))
    document = repository.get("acme", "doc-1")
    assert document is not None
    assert document.result is not None
    assert set(document.result["timings"]) == {"enrich", "store"}


def test_a_redelivery_keeps_the_record_and_counts_the_cost_once(
    store: Store, flow: DocumentFlow, repository: SqliteRepository
) -> None:
    textract, bedrock = cost_total("textract"), cost_total("bedrock")
    documents = REGISTRY.get_sample_value("docflow_document_cost_usd_count") or 0.0
    enriched = flow.enriched()
    first = store.handle(through_kafka(enriched, event_id="enriched-1"))
    kept = repository.get("acme", "doc-1")
    again = store.handle(through_kafka(enriched, event_id="enriched-1"))
    assert repository.get("acme", "doc-1") == kept
    assert [o.cost_usd for o in again] == [o.cost_usd for o in first]  # type: ignore[attr-defined]
    assert cost_total("textract") == pytest.approx(textract + 0.015)
    assert cost_total("bedrock") == pytest.approx(bedrock + 0.002)
    assert REGISTRY.get_sample_value("docflow_document_cost_usd_count") == documents + 1


def test_a_blob_that_does_not_match_its_reference_is_permanent(
    store: Store, flow: DocumentFlow, blobs: LocalBlobStore
) -> None:
    blobs.put_bytes("acme/doc-1/extraction.json", b'{"tampered": true}')
    with pytest.raises(PermanentError, match="does not match"):
        store.handle(through_kafka(flow.enriched()))


def test_a_missing_blob_is_permanent(
    store: Store, flow: DocumentFlow, blobs: LocalBlobStore
) -> None:
    blobs.delete(flow.extraction.url)
    with pytest.raises(PermanentError, match="no blob"):
        store.handle(through_kafka(flow.enriched()))


def test_a_blob_that_is_not_a_result_is_permanent(
    store: Store, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    junk = blobs.put_bytes("acme/doc-2/extraction.json", b"[1, 2, 3]")
    flow = DocumentFlow("doc-2", extraction=junk, enrichment=junk)
    track(repository, flow.received())
    with pytest.raises(PermanentError, match="not a valid ExtractionResult"):
        store.handle(through_kafka(flow.enriched()))


def test_results_of_another_document_are_refused(
    store: Store, repository: SqliteRepository, flow: DocumentFlow
) -> None:
    other = DocumentFlow("doc-3", extraction=flow.extraction, enrichment=flow.enrichment)
    track(repository, other.received())
    with pytest.raises(PermanentError, match="of another document, not of 'doc-3'"):
        store.handle(through_kafka(other.enriched()))
    assert repository.get("acme", "doc-3").result is None  # type: ignore[union-attr]


def test_an_unknown_document_or_a_foreign_event_is_permanent(
    store: Store, flow: DocumentFlow
) -> None:
    stranger = DocumentFlow("doc-1", "globex", extraction=flow.extraction)
    with pytest.raises(PermanentError, match="no document"):
        store.handle(through_kafka(stranger.enriched()))
    with pytest.raises(PermanentError, match=r"reads enrichment\.completed"):
        store.handle(through_kafka(flow.extracted()))


def test_a_blob_reference_is_checked_before_reading(store: Store, flow: DocumentFlow) -> None:
    huge = BlobRef(url=flow.extraction.url, sha256=flow.extraction.sha256, size=10**12)
    big = DocumentFlow("doc-1", extraction=huge, enrichment=flow.enrichment)
    with pytest.raises(PermanentError, match="of 1000000000000 bytes exceeds the size limit"):
        store.handle(through_kafka(big.enriched()))


def test_blob_errors_name_the_blob_by_its_key_never_its_location(
    store: Store, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    # What enrich wrote for an amount that overflowed to infinity before it refused them.
    enrichment = ENRICHMENT.model_copy(update={"document_id": "doc-4"}).model_dump(mode="json")
    enrichment["entities"]["amounts"][0]["value"] = None
    extraction = EXTRACTION.model_copy(update={"document_id": "doc-4"})
    flow = DocumentFlow(
        "doc-4",
        extraction=blobs.save("acme/doc-4/extraction.json", extraction),
        enrichment=blobs.put_bytes("acme/doc-4/enrichment.json", json.dumps(enrichment).encode()),
    )
    track(repository, flow.received())
    with pytest.raises(PermanentError) as raised:
        store.handle(through_kafka(flow.enriched()))
    assert str(raised.value) == (
        "blob acme/doc-4/enrichment.json is not a valid EnrichmentResult: "
        "entities.amounts.0.value: Input should be a valid number"
    )
    blobs.delete(flow.extraction.url)
    with pytest.raises(PermanentError) as raised:
        store.handle(through_kafka(flow.enriched()))
    assert str(raised.value) == "no blob acme/doc-4/extraction.json in the blob store"
    assert str(blobs.root) not in str(raised.value)


def test_a_number_json_cannot_hold_is_refused_before_the_record_is_kept(
    store: Store, repository: SqliteRepository, blobs: LocalBlobStore, flow: DocumentFlow
) -> None:
    # Valid JSON, yet read as infinity: whoever wrote this blob, the record must not hold it.
    huge = ENRICHMENT.model_dump_json().replace('"value":5000.0', '"value":1e400')
    ref = blobs.put_bytes("acme/doc-1/enrichment.json", huge.encode())
    overflowing = DocumentFlow("doc-1", extraction=flow.extraction, enrichment=ref)
    expected = r"^FinalRecord field entities\.amounts\.0\.value is inf"
    with pytest.raises(NonFiniteNumberError, match=expected):
        store.handle(through_kafka(overflowing.enriched()))
    assert repository.get("acme", "doc-1").result is None  # type: ignore[union-attr]


def test_an_earlier_runs_enrichment_stores_nothing(
    store: Store, flow: DocumentFlow, repository: SqliteRepository
) -> None:
    track(repository, flow.received().model_copy(update={"run": 2}))
    assert store.handle(through_kafka(flow.enriched())) == []
    document = repository.get("acme", "doc-1")
    assert document is not None
    assert (document.run, document.result) == (2, None)


def test_a_run_the_tracker_has_not_seen_begin_is_retried(
    store: Store, flow: DocumentFlow, repository: SqliteRepository
) -> None:
    later = flow.enriched().model_copy(update={"run": 2})
    with pytest.raises(TransientError, match="has not seen run 2 begin"):
        store.handle(through_kafka(later))
    track(repository, flow.received().model_copy(update={"run": 2}))
    [stored] = store.handle(through_kafka(later))
    assert isinstance(stored, DocumentStored)  # the runtime gives it the input's run
    document = repository.get("acme", "doc-1")
    assert document is not None
    assert (document.run, document.result is not None) == (2, True)


def test_timings_come_with_the_event_whatever_the_tracker_has_seen(
    store: Store, flow: DocumentFlow, repository: SqliteRepository
) -> None:
    carried = {"extract": 0.42, "validate": 0.05, "enrich": 1.5}
    store.handle(through_kafka(flow.enriched().model_copy(update={"timings": carried})))
    document = repository.get("acme", "doc-1")
    assert document is not None
    assert document.result is not None
    timings = document.result["timings"]
    assert {k: timings[k] for k in carried} == carried
    assert set(timings) == {"extract", "validate", "enrich", "store"}
