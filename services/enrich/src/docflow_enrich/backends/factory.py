"""Choose the enrichment backend named by the settings."""

from docflow_enrich.backends.base import EnrichmentBackend
from docflow_enrich.backends.local import LocalBackend
from docflow_enrich.settings import EnrichSettings
from docflow_runtime.errors import ConfigurationError


class BackendNotAvailableError(ConfigurationError):
    """The configured backend is planned but not part of this release."""


def backend_from_settings(settings: EnrichSettings) -> EnrichmentBackend:
    if settings.enrich_backend == "local":
        return LocalBackend(summary_sentences=settings.enrich_summary_sentences)
    raise BackendNotAvailableError(
        f"DOCFLOW_ENRICH_BACKEND={settings.enrich_backend} is not available yet; "
        "use DOCFLOW_ENRICH_BACKEND=local"
    )
