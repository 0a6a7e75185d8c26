"""Build the reconciler from its settings."""

from datetime import timedelta

from docflow_reconciler.publisher import EventPublisher
from docflow_reconciler.reconcile import Reconciler
from docflow_reconciler.settings import ReconcilerSettings
from docflow_results.factory import open_repository


def build(settings: ReconcilerSettings) -> Reconciler:
    return Reconciler(
        open_repository(settings),
        EventPublisher(settings),
        stalled_after=timedelta(seconds=settings.stalled_after_seconds),
        max_redrives=settings.reconcile_max_redrives,
        batch=settings.reconcile_batch,
        interval_seconds=settings.reconcile_interval_seconds,
    )
