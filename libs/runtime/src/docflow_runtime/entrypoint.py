"""How a service starts: settings, backends, logging, then its loop.

``run_stage`` runs a stage (event by event, :mod:`docflow_runtime.worker`); ``run_periodic``
a service that works in passes (:mod:`docflow_runtime.periodic`). Both refuse bad settings
before anything else: exit status 2 with the reason, which a supervisor does not retry.
"""

import sys
from collections.abc import Callable
from typing import TypeVar

from pydantic import ValidationError

from docflow_runtime.errors import ConfigurationError
from docflow_runtime.logging import configure_logging, get_logger
from docflow_runtime.periodic import PassLoop, Periodic
from docflow_runtime.settings import PeriodicSettings, RuntimeSettings
from docflow_runtime.stage import Stage
from docflow_runtime.worker import Worker

S = TypeVar("S", bound=RuntimeSettings)
P = TypeVar("P", bound=PeriodicSettings)
B = TypeVar("B")
T = TypeVar("T")
CONFIGURATION_ERROR = 2


class _RefusedError(Exception):
    """Settings or backends that cannot work; the message is printed as it is."""


def run_stage(settings_type: type[S], build: Callable[[S], Stage]) -> int:
    """Run a stage until stopped; the exit code says whether it stopped cleanly."""
    try:
        settings, stage = _configured(settings_type, build)
    except _RefusedError as exc:
        print(f"docflow: {exc}", file=sys.stderr)
        return CONFIGURATION_ERROR
    configure_logging(stage.name, settings.log_level, json=settings.log_json)
    try:
        Worker(stage, settings).run()
    except Exception:
        get_logger(__name__).exception("worker failed", stage=stage.name)
        return 1
    return 0


def run_periodic(settings_type: type[P], build: Callable[[P], Periodic]) -> int:
    """Run a periodic service until SIGTERM or SIGINT."""
    try:
        settings, task = _configured(settings_type, build)
    except _RefusedError as exc:
        print(f"docflow: {exc}", file=sys.stderr)
        return CONFIGURATION_ERROR
    configure_logging(task.name, settings.log_level, json=settings.log_json)
    PassLoop(task, settings).run()
    return 0


def _configured(settings_type: type[B], build: Callable[[B], T]) -> tuple[B, T]:
    try:
        settings = settings_type()
    except ValidationError as exc:
        # Which variable is wrong, said before the broker or a database is touched.
        raise _RefusedError(f"invalid configuration:\n{exc}") from None
    try:
        return settings, build(settings)
    except ConfigurationError as exc:
        raise _RefusedError(f"invalid configuration: {exc}") from None
