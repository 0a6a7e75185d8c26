"""Build the tracker from its settings."""

from docflow_results.factory import open_repository
from docflow_tracker.settings import TrackerSettings
from docflow_tracker.stage import Tracker


def build(settings: TrackerSettings) -> Tracker:
    return Tracker(open_repository(settings))
