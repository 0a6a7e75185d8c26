"""The local broker: its lifecycle as a context manager and as ``python -m`` entry point."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from docflow_events.topics import all_topics
from docflow_runtime.admin import wait_for_broker
from docflow_runtime.devbroker import (
    BrokerBinaryMissingError,
    BrokerStartError,
    TansuBroker,
    free_port,
    port_is_free,
)

HOST = "127.0.0.1"
# They start real brokers, even if not through the kafka_bootstrap fixture.
pytestmark = pytest.mark.connected


def process_exists(pid: int) -> bool:
    """True for a running process and for an unreaped zombie alike."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def topic_partitions(bootstrap: str) -> dict[str, int]:
    # Built and dropped inside this function, so its connections are closed when it returns
    # (the broker waits for open connections before it exits on SIGTERM).
    metadata = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10)
    return {name: len(topic.partitions) for name, topic in metadata.topics.items()}


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


# --- python -m docflow_runtime.devbroker ----------------------------------------------------


def read_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The next line ``process`` prints, waiting at most ``timeout`` seconds for it."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        if select.select([process.stdout], [], [], min(remaining, 0.2))[0]:
            return process.stdout.readline()
        if process.poll() is not None:
            pytest.fail(f"devbroker exited early with status {process.returncode}")
    pytest.fail(f"devbroker printed nothing within {timeout}s")


@pytest.fixture
def run_devbroker(tmp_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    """Starts ``python -m docflow_runtime.devbroker ARGS``; never leaves one running."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_devbroker(
    started: list[subprocess.Popen[str]], tmp_path: Path, *args: str
) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "docflow_runtime.devbroker", "--log-dir", str(tmp_path)]
    log = (tmp_path / "devbroker.err").open("w")
    process = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=log, text=True)
    log.close()
    started.append(process)
    line = read_line(process, timeout=30)
    assert line.startswith("Kafka bootstrap: "), line
    return process, line.removeprefix("Kafka bootstrap: ").strip()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_devbroker_runs_with_every_topic_until_signalled(
    run_devbroker: list[subprocess.Popen[str]], tmp_path: Path, stop_signal: signal.Signals
) -> None:
    port = free_port(HOST)
    process, bootstrap = start_devbroker(
        run_devbroker, tmp_path, "--port", str(port), "--partitions", "2"
    )
    assert bootstrap == f"{HOST}:{port}"
    partitions = topic_partitions(bootstrap)
    assert {topic: partitions.get(topic) for topic in all_topics()} == dict.fromkeys(
        all_topics(), 2
    )
    process.send_signal(stop_signal)
    assert process.wait(timeout=20) == 0
    assert port_is_free(HOST, port)
    assert list(tmp_path.glob(f"tansu-{port}.log"))


def test_devbroker_reuses_a_broker_that_already_answers(
    run_devbroker: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    with TansuBroker(HOST) as broker:
        process, bootstrap = start_devbroker(run_devbroker, tmp_path, "--port", str(broker.port))
        assert bootstrap == broker.bootstrap
        assert set(all_topics()) <= set(topic_partitions(bootstrap))
        process.terminate()
        assert process.wait(timeout=20) == 0
        assert "already answers" in (tmp_path / "devbroker.err").read_text()
        assert broker.pid is not None
        assert process_exists(broker.pid), "the reused broker was stopped"
        wait_for_broker(broker.bootstrap, timeout=5)
