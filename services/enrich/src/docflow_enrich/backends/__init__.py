"""Enrichment backends: one interface, chosen by ``DOCFLOW_ENRICH_BACKEND``."""

from docflow_enrich.backends.base import Enrichment, EnrichmentBackend
from docflow_enrich.backends.factory import BackendNotAvailableError, backend_from_settings
from docflow_enrich.backends.local import LocalBackend

__all__ = [
    "BackendNotAvailableError",
    "Enrichment",
    "EnrichmentBackend",
    "LocalBackend",
    "backend_from_settings",
]
