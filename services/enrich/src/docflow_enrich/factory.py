"""Build the enrich stage from its settings."""

from docflow_enrich.backends import backend_from_settings, local_backend
from docflow_enrich.settings import EnrichSettings
from docflow_enrich.stage import Enrich
from docflow_runtime.blobstore import blob_store_from_url


def build(settings: EnrichSettings) -> Enrich:
    return Enrich(
        blobs=blob_store_from_url(settings.blob_url),
        backend=backend_from_settings(settings),
        max_result_bytes=settings.max_result_bytes,
        rules=local_backend(settings),
        fallback=settings.enrich_fallback == "local",
    )
