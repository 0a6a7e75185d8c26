"""Enrichment backends: one interface, chosen by ``DOCFLOW_ENRICH_BACKEND``."""

from docflow_enrich.backends.base import Enrichment, EnrichmentBackend
from docflow_enrich.backends.factory import (
    MissingModelSettingError,
    backend_from_settings,
    local_backend,
)
from docflow_enrich.backends.local import LocalBackend

__all__ = [
    "Enrichment",
    "EnrichmentBackend",
    "LocalBackend",
    "MissingModelSettingError",
    "backend_from_settings",
    "local_backend",
]
