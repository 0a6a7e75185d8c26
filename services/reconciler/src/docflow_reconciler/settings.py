"""The reconciler's settings: where results and events are, and what counts as stalled."""

from pydantic import Field

from docflow_results.settings import ResultsSettings, StalledSettings
from docflow_runtime.settings import PeriodicSettings


class ReconcilerSettings(PeriodicSettings, ResultsSettings, StalledSettings):
    """Environment: ``DOCFLOW_*``."""

    reconcile_max_redrives: int = Field(
        default=3, ge=1, description="Re-drives of one run before the document is failed"
    )
    reconcile_interval_seconds: float = Field(default=30.0, gt=0, description="Between passes")
    reconcile_batch: int = Field(default=100, ge=1, le=500, description="Documents per pass")
