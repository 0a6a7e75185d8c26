"""The store service's settings: the runtime's, and where the results live."""

from docflow_results.settings import ResultsSettings
from docflow_runtime.settings import RuntimeSettings


class StoreSettings(RuntimeSettings, ResultsSettings):
    """Environment: ``DOCFLOW_*``; nothing of the store's own beyond the results store."""
