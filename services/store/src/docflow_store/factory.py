"""Build the store stage from its settings."""

from docflow_results.factory import open_repository
from docflow_runtime.blobstore import blob_store_from_settings
from docflow_store.settings import StoreSettings
from docflow_store.stage import Store


def build(settings: StoreSettings) -> Store:
    return Store(
        open_repository(settings),
        blob_store_from_settings(settings),
        max_result_bytes=settings.max_result_bytes,
    )
