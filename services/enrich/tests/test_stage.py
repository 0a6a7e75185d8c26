"""The stage's handler end to end, on a local blob store and real extraction results."""

import hashlib
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from docflow_enrich.backends import Enrichment, EnrichmentBackend, LocalBackend
from docflow_enrich.stage import Enrich
from docflow_events import Envelope, EventData
from docflow_events.v1 import (
    BlobRef,
    Classification,
    Cost,
    EnrichmentCompleted,
    ExtractionCompleted,
    Finding,
    ReviewDecided,
    ValidationPassed,
)
from docflow_events.v1.results import EnrichmentResult, Entities, ExtractionResult, Money, Page
from docflow_runtime.blobstore import BlobTooLargeError, LocalBlobStore
from docflow_runtime.errors import PermanentError
from docflow_runtime.finite import NonFiniteNumberError

NDA_TEXT = (
    "MUTUAL NON-DISCLOSURE AGREEMENT\nThis Mutual Non-Disclosure Agreement is made as of the"
    " 4th day of May 2005 by and between NEON SYSTEMS, INC., a Delaware corporation (the"
    ' "Company") and Progress Software Corporation, a Massachusetts corporation ("PSC").\n'
    "The Receiving Party agrees to keep Confidential Information of the Disclosing Party in"
    " confidence.\nThis Agreement shall be governed by the laws of the Commonwealth of"
    " Massachusetts.\n"
)
CONTENT = BlobRef(url="file:///nowhere/original", sha256="0" * 64, size=1)


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def stage(blobs: LocalBlobStore) -> Enrich:
    return Enrich(blobs=blobs, backend=LocalBackend(), max_result_bytes=1024 * 1024)


def _extraction(blobs: LocalBlobStore, text: str = NDA_TEXT) -> BlobRef:
    result = ExtractionResult(
        document_id="doc-1",
        media_type="application/pdf",
        backend="local",
        pages=[Page(number=1, text=text, method="text_layer")],
        cost=Cost(backend="local"),
    )
    return blobs.put_bytes("acme/doc-1/extraction.json", result.model_dump_json().encode())


def _passed(extraction: BlobRef) -> ValidationPassed:
    return ValidationPassed(
        document_id="doc-1",
        tenant="acme",
        content=CONTENT,
        extraction=extraction,
        rule_pack="contract",
        document_type="nda",
        findings=[Finding(rule="dates", severity="warning", message="no end date")],
    )


def _review(extraction: BlobRef, decision: str, corrections: dict[str, object]) -> ReviewDecided:
    return ReviewDecided.model_validate(
        {
            "document_id": "doc-1",
            "tenant": "acme",
            "decision": decision,
            "reviewer": "alice",
            "corrections": corrections,
            "content": CONTENT.model_dump(),
            "extraction": extraction.model_dump(),
            "rule_pack": "contract",
            "document_type": "nda",
            "decided_at": datetime.now(UTC),
        }
    )


def _envelope(data: EventData) -> Envelope[EventData]:
    return Envelope[EventData].wrap(data, id="evt-1", source="/docflow/test")


def _stored(blobs: LocalBlobStore, event: EnrichmentCompleted) -> EnrichmentResult:
    return EnrichmentResult.model_validate_json(
        blobs.read_verified(event.enrichment, max_bytes=1024 * 1024)
    )


def test_each_run_keeps_its_own_result(stage: Enrich, blobs: LocalBlobStore) -> None:
    extraction = _extraction(blobs)
    [first] = stage.handle(_envelope(_passed(extraction)))
    [second] = stage.handle(_envelope(_passed(extraction).model_copy(update={"run": 2})))
    assert isinstance(first, EnrichmentCompleted)
    assert isinstance(second, EnrichmentCompleted)
    assert second.enrichment.url.endswith("/acme/doc-1/runs/2/enrichment.json")
    assert first.enrichment.url != second.enrichment.url
    blobs.verify(first.enrichment)  # the later run did not replace the earlier run's result


def test_validation_passed_is_enriched(stage: Enrich, blobs: LocalBlobStore) -> None:
    extraction = _extraction(blobs)
    [event] = stage.handle(_envelope(_passed(extraction)))
    assert isinstance(event, EnrichmentCompleted)
    assert event.validation_passed is True
    assert event.extraction == extraction
    assert event.content == CONTENT
    assert [f.rule for f in event.findings] == ["dates"]
    assert event.classification.type == "nda"
    assert event.cost.backend == "local"
    assert event.cost.usd == 0.0
    assert event.enrichment.url.endswith("/acme/doc-1/runs/1/enrichment.json")
    result = _stored(blobs, event)
    assert result.entities.parties == ["NEON SYSTEMS INC.", "Progress Software Corporation"]
    assert result.entities.jurisdiction == "Massachusetts"
    assert result.entities.effective_date is not None
    assert result.entities.effective_date.isoformat() == "2005-05-04"
    assert result.summary


def test_approved_review_applies_corrections(stage: Enrich, blobs: LocalBlobStore) -> None:
    corrections: dict[str, object] = {
        "parties": ["Neon Systems, Inc.", "PSC"],
        "effective_date": "2020-01-01",
    }
    review = _review(_extraction(blobs), "approved", corrections)
    [event] = stage.handle(_envelope(review))
    assert isinstance(event, EnrichmentCompleted)
    assert event.validation_passed is False
    assert event.corrections == corrections
    entities = _stored(blobs, event).entities
    assert entities.parties == ["Neon Systems, Inc.", "PSC"]
    assert entities.effective_date is not None
    assert entities.effective_date.isoformat() == "2020-01-01"
    assert entities.jurisdiction == "Massachusetts"


def test_rejected_review_produces_nothing(stage: Enrich, blobs: LocalBlobStore) -> None:
    review = _review(_extraction(blobs), "rejected", {})
    assert stage.handle(_envelope(review)) == []
    assert not (blobs.root / "acme" / "doc-1" / "runs" / "1" / "enrichment.json").exists()


def test_corrections_that_do_not_fit_are_permanent(stage: Enrich, blobs: LocalBlobStore) -> None:
    review = _review(_extraction(blobs), "approved", {"effective_date": "not a date"})
    with pytest.raises(PermanentError, match="effective_date: Input should be a valid date") as e:
        stage.handle(_envelope(review))
    assert "not a date" not in str(e.value), "the reviewer's input is not echoed"
    assert "\n" not in str(e.value)


# 400 nines overflow a float to infinity, which JSON writes as null.
NINES = "9" * 400


@pytest.mark.parametrize(
    ("text", "document_type"),
    [
        (f"INVOICE\nInvoice No: INV-1\nTotal: ${NINES}\nTotal: $12.50\n", "invoice"),
        # Validated as an NDA (see _passed): the text's lack of evidence does not overrule it.
        (f"Memo\nThe budget reads ${NINES} and the fee is $12.50.", "nda"),
    ],
)
def test_a_number_too_large_for_money_is_no_amount(
    stage: Enrich, blobs: LocalBlobStore, text: str, document_type: str
) -> None:
    [event] = stage.handle(_envelope(_passed(_extraction(blobs, text))))
    assert isinstance(event, EnrichmentCompleted)
    assert event.classification.type == document_type
    entities = _stored(blobs, event).entities
    assert [(a.value, a.currency) for a in entities.amounts] == [(12.5, "USD")]
    if document_type == "invoice":
        assert entities.total is not None
        assert entities.total.value == 12.5


class _Overflowing(EnrichmentBackend):
    """A backend whose arithmetic overflowed: its total is infinite."""

    name = "overflowing"

    def enrich(self, extraction: ExtractionResult, hint: str | None = None) -> Enrichment:
        return Enrichment(
            classification=Classification(type="invoice", confidence=0.5),
            entities=Entities(total=Money(value=math.inf, currency="USD")),
            summary="",
            cost=Cost(backend=self.name),
        )


def test_a_result_with_a_number_json_cannot_hold_is_an_explained_permanent_error(
    blobs: LocalBlobStore,
) -> None:
    stage = Enrich(blobs=blobs, backend=_Overflowing(), max_result_bytes=1024 * 1024)
    with pytest.raises(NonFiniteNumberError) as raised:
        stage.handle(_envelope(_passed(_extraction(blobs))))
    assert str(raised.value) == (
        "EnrichmentResult field entities.total.value is inf, not a finite number: "
        "JSON cannot hold it"
    )
    assert isinstance(raised.value, PermanentError)
    assert not (blobs.root / "acme" / "doc-1" / "runs" / "1" / "enrichment.json").exists()


def test_an_extraction_blob_that_is_not_a_result_is_permanent(
    stage: Enrich, blobs: LocalBlobStore
) -> None:
    ref = blobs.put_bytes("acme/doc-1/extraction.json", b'{"pages": "secret contract text"}')
    with pytest.raises(PermanentError, match="not a valid ExtractionResult") as raised:
        stage.handle(_envelope(_passed(ref)))
    assert "secret contract text" not in str(raised.value), "errors never carry content"


def test_a_tampered_extraction_blob_is_refused(stage: Enrich, blobs: LocalBlobStore) -> None:
    ref = _extraction(blobs)
    forged = ref.model_copy(update={"sha256": hashlib.sha256(b"other").hexdigest()})
    with pytest.raises(PermanentError, match="does not match") as raised:
        stage.handle(_envelope(_passed(forged)))
    assert str(raised.value).startswith("blob acme/doc-1/extraction.json does not match")
    assert "file:" not in str(raised.value)
    assert str(blobs.root) not in str(raised.value)


def test_other_events_are_permanent_errors(stage: Enrich) -> None:
    wrong = ExtractionCompleted(
        document_id="doc-1",
        tenant="acme",
        content=CONTENT,
        extraction=CONTENT,
        media_type="application/pdf",
        page_count=1,
        cost=Cost(backend="local"),
    )
    with pytest.raises(PermanentError, match=r"validation\.passed"):
        stage.handle(_envelope(wrong))


def test_oversized_extraction_is_refused(blobs: LocalBlobStore) -> None:
    small = Enrich(blobs=blobs, backend=LocalBackend(), max_result_bytes=10)
    with pytest.raises(BlobTooLargeError, match="exceeds the size limit of 10 bytes"):
        small.handle(_envelope(_passed(_extraction(blobs))))
