"""The local backend: rules only, no model and no network; costs nothing."""

from docflow_enrich.backends.base import Enrichment, EnrichmentBackend
from docflow_enrich.rules.entities import extract_entities
from docflow_enrich.rules.summary import summarize
from docflow_events.v1 import Classification, Cost
from docflow_events.v1.results import ExtractionResult
from docflow_text.doctype import classify


class LocalBackend(EnrichmentBackend):
    name = "local"

    def __init__(self, summary_sentences: int = 3) -> None:
        self._summary_sentences = summary_sentences

    def enrich(self, extraction: ExtractionResult, hint: str | None = None) -> Enrichment:
        text = extraction.text
        found = classify(text, hint)
        classification = Classification(
            type=found.type, confidence=found.confidence, hint=hint, text_type=found.text_type
        )
        return Enrichment(
            classification=classification,
            entities=extract_entities(
                text, extraction.key_values, classification.type, pages=extraction.pages
            ),
            summary=summarize(text, self._summary_sentences),
            cost=Cost(backend=self.name),
        )
