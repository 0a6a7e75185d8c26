"""Build the extract stage from its settings."""

from docflow_extract.backends.factory import backend_from_settings
from docflow_extract.settings import ExtractSettings
from docflow_extract.stage import Extract
from docflow_runtime.blobstore import blob_store_from_settings


def build(settings: ExtractSettings) -> Extract:
    store = blob_store_from_settings(settings)
    return Extract(
        store, backend_from_settings(settings), max_document_mib=settings.extract_max_document_mib
    )
