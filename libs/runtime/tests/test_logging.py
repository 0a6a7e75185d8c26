"""Structured logging: one JSON object per line on stdout, with context, from every source."""

import json
import logging
from collections.abc import Iterator
from datetime import datetime as dt
from datetime import timedelta
from typing import Any

import pytest
import structlog

from docflow_runtime.logging import configure_logging, get_logger, log_context


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def json_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines()]


def test_each_line_is_a_json_object_with_the_standard_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("extract")
    get_logger("docflow.test").info("document parsed", pages=3)
    get_logger("docflow.test").warning("slow page")
    first, second = json_lines(capsys)
    assert first["event"] == "document parsed"
    assert first["pages"] == 3
    assert (first["level"], second["level"]) == ("info", "warning")
    assert first["service"] == "extract"
    assert first["logger"] == "docflow.test"
    stamp = dt.fromisoformat(first["timestamp"])
    assert stamp.utcoffset() == timedelta(0)
    assert list(first)[:5] == ["timestamp", "level", "service", "logger", "event"]


def test_context_appears_inside_log_context_only(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("validate")
    log = get_logger("docflow.test")
    with log_context(document_id="doc-1", trace_id="4bf92f35", tenant="acme", stage="validate"):
        log.info("inside")
        with log_context(document_id="doc-2"):
            log.info("nested")
        log.info("back")
    log.info("outside")
    inside, nested, back, outside = json_lines(capsys)
    assert inside["document_id"] == "doc-1"
    assert (inside["trace_id"], inside["tenant"], inside["stage"]) == (
        "4bf92f35",
        "acme",
        "validate",
    )
    assert nested["document_id"] == "doc-2"
    assert nested["trace_id"] == "4bf92f35"
    assert back["document_id"] == "doc-1"
    assert not {"document_id", "trace_id", "tenant", "stage"} & outside.keys()


def test_standard_library_records_come_out_as_json_with_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("ingest")
    with log_context(document_id="doc-9"):
        logging.getLogger("confluent_kafka").warning("broker %s is down", "b1:9092")
    (line,) = json_lines(capsys)
    assert line["event"] == "broker b1:9092 is down"
    assert line["level"] == "warning"
    assert line["logger"] == "confluent_kafka"
    assert line["service"] == "ingest"
    assert line["document_id"] == "doc-9"
    assert "timestamp" in line


def test_positional_arguments_are_formatted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("store")
    get_logger("t").info("stored %d rows", 12)
    (line,) = json_lines(capsys)
    assert line["event"] == "stored 12 rows"


def test_configuring_twice_writes_each_message_once(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("enrich")
    configure_logging("enrich")
    get_logger("t").info("structlog message")
    logging.getLogger("lib").warning("stdlib message")
    lines = json_lines(capsys)
    assert [line["event"] for line in lines] == ["structlog message", "stdlib message"]


def test_reconfiguring_applies_to_existing_loggers(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("first")
    log = get_logger("t")
    log.info("one")
    configure_logging("second")
    log.info("two")
    assert [line["service"] for line in json_lines(capsys)] == ["first", "second"]


def test_level_filters_both_sources(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("extract", level="warning")
    get_logger("t").info("hidden")
    logging.getLogger("lib").info("hidden too")
    get_logger("t").error("shown")
    logging.getLogger("lib").warning("shown too")
    assert [line["event"] for line in json_lines(capsys)] == ["shown", "shown too"]


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        configure_logging("extract", level="LOUD")


def test_exceptions_are_rendered_without_local_values(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("extract")
    try:
        document_text = "CONFIDENTIAL-CLAUSE-4711"
        raise ValueError(f"bad page ({len(document_text)} chars)")
    except ValueError:
        get_logger("t").exception("extraction failed")
        logging.getLogger("lib").exception("library failed")
    for line in json_lines(capsys):
        assert "ValueError: bad page (24 chars)" in line["exception"]
        assert "CONFIDENTIAL-CLAUSE-4711" not in json.dumps(line)


def test_console_mode_is_readable_text(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("extract", json=False)
    with log_context(document_id="doc-3"):
        get_logger("t").info("document parsed")
        logging.getLogger("lib").warning("from a library")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for line in lines:
        with pytest.raises(json.JSONDecodeError):
            json.loads(line)
        assert "document_id=doc-3" in line
        assert "service=extract" in line
    assert "document parsed" in lines[0]
    assert "from a library" in lines[1]
    assert "\x1b[" not in lines[0]  # no colour codes when stdout is not a terminal
