"""How a stage service starts: settings, logging, backends, then the worker loop."""

import sys
from collections.abc import Callable
from typing import TypeVar

from pydantic import ValidationError

from docflow_runtime.errors import ConfigurationError
from docflow_runtime.logging import configure_logging, get_logger
from docflow_runtime.settings import RuntimeSettings
from docflow_runtime.stage import Stage
from docflow_runtime.worker import Worker

S = TypeVar("S", bound=RuntimeSettings)


def run_stage(settings_type: type[S], build: Callable[[S], Stage]) -> int:
    """Run a stage until stopped; the exit code says whether it stopped cleanly."""
    try:
        settings = settings_type()
    except ValidationError as exc:
        # Fail fast and say which variable is wrong, before touching the broker.
        print(f"docflow: invalid configuration:\n{exc}", file=sys.stderr)
        return 2
    try:
        stage = build(settings)
    except ConfigurationError as exc:
        print(f"docflow: invalid configuration: {exc}", file=sys.stderr)
        return 2
    configure_logging(stage.name, settings.log_level, json=settings.log_json)
    try:
        Worker(stage, settings).run()
    except Exception:
        get_logger(__name__).exception("worker failed", stage=stage.name)
        return 1
    return 0
