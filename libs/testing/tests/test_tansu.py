"""The local broker process: started, answering, stopped, and every way its start can fail."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from docflow_runtime.admin import wait_for_broker
from docflow_testing.processes import process_exists
from docflow_testing.tansu import (
    BrokerBinaryMissingError,
    BrokerStartError,
    TansuBroker,
    port_is_free,
)

HOST = "127.0.0.1"
# They start real brokers, even if not through the kafka_bootstrap fixture.
pytestmark = pytest.mark.connected


def fake_broker(tmp_path: Path, body: str) -> str:
    """A stand-in for the broker binary that runs ``body`` in a shell."""
    script = tmp_path / "fake-broker"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_broker_starts_answers_and_stops(tmp_path: Path) -> None:
    with TansuBroker(HOST, log_dir=tmp_path) as broker:
        pid = broker.pid
        assert pid is not None
        assert process_exists(pid)
        wait_for_broker(broker.bootstrap, timeout=5)
        port = broker.port
    assert not process_exists(pid), "the broker process is still there (or a zombie)"
    assert port_is_free(HOST, port)
    assert broker.log_file is not None
    assert broker.log_file.parent == tmp_path


def test_port_zero_picks_a_free_port_for_each_broker() -> None:
    with TansuBroker(HOST, 0) as first, TansuBroker(HOST, 0) as second:
        assert first.port != 0
        assert second.port != 0
        assert first.port != second.port
        assert first.bootstrap == f"{HOST}:{first.port}"
        for broker in (first, second):
            wait_for_broker(broker.bootstrap, timeout=5)


def test_a_taken_port_is_refused_before_anything_starts() -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        broker = TansuBroker(HOST, port)
        with pytest.raises(BrokerStartError, match="already in use"):
            broker.start()
    assert broker.pid is None


def test_a_missing_binary_tells_to_run_make_install(tmp_path: Path) -> None:
    broker = TansuBroker(binary=str(tmp_path / "no-such-broker"))
    with pytest.raises(BrokerBinaryMissingError, match="make install"):
        broker.start()


def test_a_broker_that_dies_at_start_is_reported_with_its_log(tmp_path: Path) -> None:
    binary = fake_broker(tmp_path, "echo 'cannot open storage' >&2\nexit 3")
    broker = TansuBroker(binary=binary, log_dir=tmp_path)
    with pytest.raises(BrokerStartError, match="status 3") as failure:
        broker.start()
    assert "cannot open storage" in str(failure.value)


def test_a_broker_that_ignores_sigterm_is_killed_within_bounds(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    # Never listens and ignores SIGTERM (an ignored signal stays ignored across exec).
    binary = fake_broker(tmp_path, f"echo $$ > {pid_file}\ntrap '' TERM\nexec sleep 60")
    broker = TansuBroker(binary=binary, start_timeout=1.0, stop_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(BrokerStartError, match="did not listen"):
        broker.start()
    assert time.monotonic() - started < 5
    assert not process_exists(int(pid_file.read_text()))
