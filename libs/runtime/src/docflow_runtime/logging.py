"""Structured logs: one JSON object per line on stdout, with the document's context.

Every line carries ``timestamp`` (ISO 8601, UTC), ``level``, ``service``, ``logger`` and
``event`` (the message), plus whatever is bound with :func:`log_context` — document_id,
trace_id, tenant, stage. Records of the standard ``logging`` module (used by confluent-kafka
and most libraries) go through the same renderer, so the whole process speaks one format.

Log identifiers and measurements, never document content: nothing here renders payloads,
and exceptions are rendered without local variables.
"""

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

_HANDLER_NAME = "docflow"
_LEADING_KEYS = ("timestamp", "level", "service", "logger", "event")


def configure_logging(service: str, level: str = "INFO", *, json: bool = True) -> None:
    """Send structlog and standard logging to stdout, as JSON (or readable text if not ``json``).

    Safe to call again: the previous configuration is replaced, never added to.
    """
    numeric_level = _parse_level(level)
    common = _common_processors(service)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *common,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Loggers made before a reconfiguration must follow it (service name, renderer).
        cache_logger_on_first_use=False,
    )
    _install_handler(_formatter(common, json=json), numeric_level)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A logger named ``name`` (usually ``__name__``), bound to nothing yet."""
    return structlog.stdlib.get_logger(name)


@contextmanager
def log_context(**values: Any) -> Iterator[None]:
    """Add ``values`` to every log line inside the block; earlier values come back after it."""
    with structlog.contextvars.bound_contextvars(**values):
        yield


def _parse_level(level: str) -> int:
    numeric = logging.getLevelNamesMapping().get(level.upper())
    if numeric is None:
        raise ValueError(f"unknown log level {level!r}")
    return numeric


def _common_processors(service: str) -> list[Processor]:
    """What both structlog events and standard log records go through before rendering."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
        _AddService(service),
        structlog.processors.StackInfoRenderer(),
    ]


def _formatter(common: list[Processor], *, json: bool) -> structlog.stdlib.ProcessorFormatter:
    renderer: list[Processor]
    if json:
        renderer = [
            structlog.processors.format_exc_info,
            _essentials_first,
            structlog.processors.JSONRenderer(),
        ]
    else:
        # The default pretty tracebacks can show local variables, which may hold content.
        console = structlog.dev.ConsoleRenderer(
            colors=sys.stdout.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
        renderer = [console]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=common,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )


def _install_handler(formatter: logging.Formatter, level: int) -> None:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.name == _HANDLER_NAME]:
        root.removeHandler(handler)
    handler = _StdoutHandler()
    handler.name = _HANDLER_NAME
    handler.setFormatter(formatter)
    root.addHandler(handler)
    root.setLevel(level)


class _AddService:
    """Stamps the service name on every line (a processor, so clearing context cannot drop it)."""

    def __init__(self, service: str) -> None:
        self._service = service

    def __call__(self, _logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
        event_dict["service"] = self._service
        return event_dict


def _essentials_first(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """Put the fields people scan for at the start of each line."""
    first = {key: event_dict.pop(key) for key in _LEADING_KEYS if key in event_dict}
    first.update(event_dict)
    return first


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is at the time, so a replaced stdout is honoured."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)
