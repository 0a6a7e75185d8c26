"""The enrich service with an enrichment backend that fails on purpose: for the chaos suite
only, never deployed. ``make run`` starts it in place of ``docflow_enrich`` when told to
(``DOCFLOW_RUN_SERVICE_MODULES``); which documents fail, and how, comes from
:mod:`docflow_tools.chaos.faults`.

A transient fault fails a document's first attempts in this process (a restarted service
fails them again: retries still cover that); a permanent one fails every attempt, so the
runtime dead-letters the document.
"""

import threading
from collections import Counter

from docflow_enrich.backends import Enrichment, EnrichmentBackend
from docflow_events.v1.results import ExtractionResult
from docflow_runtime.errors import PermanentError, TransientError
from docflow_tools.chaos.faults import EnrichFaultSettings, FaultKind, enrich_fault


class InjectedEnrichmentFailure(PermanentError):  # noqa: N818 - named as the reason a user reads
    """The chaos suite made this document's enrichment fail for good."""


class InjectedEnrichmentHiccup(TransientError):  # noqa: N818 - named as the reason a user reads
    """The chaos suite made this attempt fail; a later one works."""


class FaultyBackend(EnrichmentBackend):
    """``backend``, failing for the documents ``settings`` pick."""

    def __init__(self, backend: EnrichmentBackend, settings: EnrichFaultSettings) -> None:
        self.name = backend.name
        self._backend = backend
        self._settings = settings
        self._failed: Counter[str] = Counter()
        self._lock = threading.Lock()

    def enrich(self, extraction: ExtractionResult, hint: str | None = None) -> Enrichment:
        document_id = extraction.document_id
        fault = enrich_fault(document_id, self._settings)
        if fault.kind is FaultKind.PERMANENT:
            raise InjectedEnrichmentFailure("chaos: this document's enrichment always fails")
        if self._fails_now(document_id, fault.failures):
            raise InjectedEnrichmentHiccup(
                f"chaos: enrichment fails {fault.failures} time(s) before it works"
            )
        return self._backend.enrich(extraction, hint)

    def close(self) -> None:
        self._backend.close()

    def _fails_now(self, document_id: str, failures: int) -> bool:
        with self._lock:
            if self._failed[document_id] >= failures:
                return False
            self._failed[document_id] += 1
            return True
