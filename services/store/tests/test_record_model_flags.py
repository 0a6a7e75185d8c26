"""What a model backend flags in the enrichment reaches the final record."""

from docflow_events.v1 import BlobRef, Classification, Cost, EnrichmentCompleted
from docflow_events.v1.results import EnrichmentResult, Entities, ExtractionResult, Page
from docflow_store.record import build_record

REF = BlobRef(url="file:///nowhere/blob", sha256="0" * 64, size=1)
EXTRACTION = ExtractionResult(
    document_id="doc-1",
    media_type="text/plain",
    backend="local",
    pages=[Page(number=1, text="Agreement between A Corp and B Corp.", method="text")],
    warnings=["page 1 was short"],
    cost=Cost(backend="local"),
)


def _record(enrichment: EnrichmentResult) -> dict[str, object]:
    event = EnrichmentCompleted(
        document_id="doc-1",
        tenant="acme",
        content=REF,
        extraction=REF,
        enrichment=REF,
        classification=enrichment.classification,
        validation_passed=True,
        cost=enrichment.cost,
    )
    return build_record(EXTRACTION, enrichment, event, {}).model_dump(mode="json")


def _enrichment(**fields: object) -> EnrichmentResult:
    return EnrichmentResult.model_validate(
        {
            "document_id": "doc-1",
            "backend": "openai",
            "classification": Classification(type="nda", confidence=0.9),
            "entities": Entities(parties=["A Corp", "Z Corp"]),
            "summary": "",
            "cost": Cost(backend="openai", units={"input_tokens": 10.0}, model="m"),
            **fields,
        }
    )


def test_ungrounded_fields_reach_the_record() -> None:
    record = _record(_enrichment(ungrounded=["parties[1]"]))
    assert record["ungrounded"] == ["parties[1]"]
    assert record["warnings"] == ["page 1 was short"]


def test_a_rules_fallback_is_a_warning_of_the_record() -> None:
    record = _record(_enrichment(backend="local", fallback_from="bedrock"))
    assert record["ungrounded"] == []
    assert record["warnings"] == [
        "page 1 was short",
        "enrichment: the bedrock model gave no usable answer; "
        "the local rules enriched the document",
    ]
