"""The enrich stage with a model backend: the answer, its flags and its cost reach the result;
an unusable answer is enriched by the local rules or sent to review, as configured."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from docflow_enrich.backends import LocalBackend, backend_from_settings
from docflow_enrich.factory import build
from docflow_enrich.settings import EnrichSettings
from docflow_enrich.stage import MODEL_ANSWER_RULE, Enrich
from docflow_events import Envelope, EventData
from docflow_events.v1 import (
    BlobRef,
    Cost,
    EnrichmentCompleted,
    Finding,
    ReviewDecided,
    ValidationFailed,
    ValidationPassed,
)
from docflow_events.v1.results import EnrichmentResult, ExtractionResult, Page
from docflow_runtime.blobstore import LocalBlobStore
from docflow_runtime.errors import TransientError
from docflow_testing.llm_servers import (
    ModelServer,
    chat_answer,
    document_facts,
    http_error,
    model_server,
)

MODEL = "llama3.1:8b"
NDA_TEXT = (
    "MUTUAL NON-DISCLOSURE AGREEMENT\nThis Mutual Non-Disclosure Agreement is made as of the"
    " 4th day of May 2005 by and between NEON SYSTEMS, INC., a Delaware corporation (the"
    ' "Company") and Progress Software Corporation, a Massachusetts corporation ("PSC").\n'
    "This Agreement shall be governed by the laws of the Commonwealth of Massachusetts.\n"
)
FACTS = document_facts(
    document_type="nda",
    type_confidence=0.92,
    parties=["NEON SYSTEMS, INC.", "Progress Software Corporation", "Globex Corporation"],
    effective_date="2005-05-04",
    jurisdiction="Massachusetts",
    summary="A mutual NDA between Neon Systems and Progress Software.",
)
CONTENT = BlobRef(url="file:///nowhere/original", sha256="0" * 64, size=1)


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def _stage(blobs: LocalBlobStore, server: ModelServer, *, fallback: bool) -> Enrich:
    settings = EnrichSettings(
        enrich_backend="openai",
        enrich_openai_base_url=server.url,
        enrich_openai_model=MODEL,
        enrich_model_max_attempts=1,
    )
    return Enrich(
        blobs=blobs,
        backend=backend_from_settings(settings),
        max_result_bytes=1024 * 1024,
        rules=LocalBackend(),
        fallback=fallback,
    )


def _extraction(blobs: LocalBlobStore) -> BlobRef:
    result = ExtractionResult(
        document_id="doc-1",
        media_type="application/pdf",
        backend="local",
        pages=[Page(number=1, text=NDA_TEXT, method="text_layer")],
        cost=Cost(backend="local"),
    )
    return blobs.put_bytes("acme/doc-1/extraction.json", result.model_dump_json().encode())


def _passed(blobs: LocalBlobStore) -> Envelope[EventData]:
    data = ValidationPassed(
        document_id="doc-1",
        tenant="acme",
        content=CONTENT,
        extraction=_extraction(blobs),
        rule_pack="contract",
        document_type="nda",
        findings=[Finding(rule="dates", severity="warning", message="no end date")],
    )
    return Envelope[EventData].wrap(data, id="evt-1", source="/docflow/test")


def _approved(blobs: LocalBlobStore, corrections: dict[str, object]) -> Envelope[EventData]:
    data = ReviewDecided(
        document_id="doc-1",
        tenant="acme",
        decision="approved",
        reviewer="alice",
        corrections=corrections,
        content=CONTENT,
        extraction=_extraction(blobs),
        rule_pack="contract",
        document_type="nda",
        decided_at=datetime.now(UTC),
    )
    return Envelope[EventData].wrap(data, id="evt-2", source="/docflow/test")


def _result(blobs: LocalBlobStore, event: EnrichmentCompleted) -> EnrichmentResult:
    return EnrichmentResult.model_validate_json(
        blobs.read_verified(event.enrichment, max_bytes=1024 * 1024)
    )


def test_the_answer_its_flags_and_its_cost_reach_the_result(blobs: LocalBlobStore) -> None:
    reply = chat_answer(json.dumps(FACTS), prompt_tokens=700, completion_tokens=120)
    with model_server([reply]) as server:
        [event] = _stage(blobs, server, fallback=True).handle(_passed(blobs))
    assert isinstance(event, EnrichmentCompleted)
    assert event.cost.units == {"input_tokens": 700, "output_tokens": 120}
    result = _result(blobs, event)
    assert result.backend == "openai"
    assert result.fallback_from is None
    assert result.classification.confidence == 0.92
    assert result.ungrounded == ["parties[2]"]
    assert result.cost == event.cost


def test_unusable_answers_fall_back_to_the_local_rules(blobs: LocalBlobStore) -> None:
    bad = chat_answer("not json at all", prompt_tokens=700, completion_tokens=5)
    with model_server([bad]) as server:
        [event] = _stage(blobs, server, fallback=True).handle(_passed(blobs))
        assert len(server.requests) == 2
    assert isinstance(event, EnrichmentCompleted)
    result = _result(blobs, event)
    assert result.backend == "local"
    assert result.fallback_from == "openai"
    assert result.entities.parties == ["NEON SYSTEMS INC.", "Progress Software Corporation"]
    assert result.ungrounded == []
    # The failed calls were billed, and the record says so.
    assert result.cost.units == {"input_tokens": 1400, "output_tokens": 10}
    assert event.cost == result.cost


def test_without_fallback_unusable_answers_send_the_document_to_review(
    blobs: LocalBlobStore,
) -> None:
    cut = chat_answer("{", finish_reason="length")
    with model_server([cut]) as server:
        [event] = _stage(blobs, server, fallback=False).handle(_passed(blobs))
    assert isinstance(event, ValidationFailed)
    assert (event.rule_pack, event.document_type) == ("contract", "nda")
    assert [f.rule for f in event.findings] == ["dates", MODEL_ANSWER_RULE]
    finding = event.findings[-1]
    assert finding.severity == "error"
    assert "openai" in finding.message
    assert "output token limit" in finding.message
    assert not (blobs.root / "acme" / "doc-1" / "runs" / "1" / "enrichment.json").exists()


def test_an_approved_document_is_enriched_by_the_rules_when_the_model_fails(
    blobs: LocalBlobStore,
) -> None:
    with model_server([chat_answer("[]")]) as server:
        stage = _stage(blobs, server, fallback=False)
        [event] = stage.handle(_approved(blobs, {"parties": ["Neon Systems, Inc.", "PSC"]}))
    assert isinstance(event, EnrichmentCompleted)
    result = _result(blobs, event)
    assert result.fallback_from == "openai"
    assert result.entities.parties == ["Neon Systems, Inc.", "PSC"]
    assert result.entities.jurisdiction == "Massachusetts"


def test_a_busy_model_is_a_transient_failure_of_the_stage(blobs: LocalBlobStore) -> None:
    with model_server([http_error(429, retry_after="3")]) as server:
        stage = _stage(blobs, server, fallback=True)
        with pytest.raises(TransientError) as caught:
            stage.handle(_passed(blobs))
    assert caught.value.retry_after == 3.0


def test_the_factory_wires_the_fallback_setting(blobs: LocalBlobStore) -> None:
    with model_server([chat_answer("nope")]) as server:
        settings = EnrichSettings(
            enrich_backend="openai",
            enrich_openai_base_url=server.url,
            enrich_openai_model=MODEL,
            enrich_fallback="none",
            blob_url=f"file://{blobs.root}",
        )
        stage = build(settings)
        [event] = stage.handle(_passed(blobs))
        stage.close()
    assert isinstance(event, ValidationFailed)
