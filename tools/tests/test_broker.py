"""``python -m docflow_tools.broker`` (``make broker``): every topic, until a signal; a broker
already answering at the address is reused, not replaced."""

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from docflow_events.topics import all_topics
from docflow_runtime.admin import ensure_topics, wait_for_broker
from docflow_testing.processes import process_exists
from docflow_testing.tansu import TansuBroker, free_port, port_is_free
from docflow_tools.broker import BrokerWatch

HOST = "127.0.0.1"
# They start real brokers, even if not through the kafka_bootstrap fixture.
pytestmark = pytest.mark.connected


def topic_partitions(bootstrap: str) -> dict[str, int]:
    # Built and dropped inside this function, so its connections are closed when it returns
    # (the broker waits for open connections before it exits on SIGTERM).
    metadata = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10)
    return {name: len(topic.partitions) for name, topic in metadata.topics.items()}


def read_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The next line ``process`` prints, waiting at most ``timeout`` seconds for it."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        if select.select([process.stdout], [], [], min(remaining, 0.2))[0]:
            return process.stdout.readline()
        if process.poll() is not None:
            pytest.fail(f"broker exited early with status {process.returncode}")
    pytest.fail(f"broker printed nothing within {timeout}s")


@pytest.fixture
def run_broker(tmp_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    """Starts ``python -m docflow_tools.broker ARGS``; never leaves one running."""
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


def start_broker(
    started: list[subprocess.Popen[str]], tmp_path: Path, *args: str
) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "docflow_tools.broker", "--log-dir", str(tmp_path)]
    log = (tmp_path / "broker.err").open("w")
    process = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=log, text=True)
    log.close()
    started.append(process)
    line = read_line(process, timeout=30)
    assert line.startswith("Kafka bootstrap: "), line
    return process, line.removeprefix("Kafka bootstrap: ").strip()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_broker_runs_with_every_topic_until_signalled(
    run_broker: list[subprocess.Popen[str]], tmp_path: Path, stop_signal: signal.Signals
) -> None:
    port = free_port(HOST)
    process, bootstrap = start_broker(
        run_broker, tmp_path, "--port", str(port), "--partitions", "2"
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


def test_broker_reuses_a_broker_that_already_answers(
    run_broker: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    with TansuBroker(HOST) as broker:
        process, bootstrap = start_broker(run_broker, tmp_path, "--port", str(broker.port))
        assert bootstrap == broker.bootstrap
        assert set(all_topics()) <= set(topic_partitions(bootstrap))
        process.terminate()
        assert process.wait(timeout=20) == 0
        assert "already answers" in (tmp_path / "broker.err").read_text()
        assert broker.pid is not None
        assert process_exists(broker.pid), "the reused broker was stopped"
        wait_for_broker(broker.bootstrap, timeout=5)


def test_a_killed_broker_is_started_again_on_its_port_with_every_topic(tmp_path: Path) -> None:
    said: list[str] = []

    def create_topics(bootstrap: str) -> None:
        ensure_topics(bootstrap, all_topics(), 2)

    with TansuBroker(HOST, log_dir=tmp_path) as broker:
        bootstrap, killed = broker.bootstrap, broker.pid
        assert killed is not None
        create_topics(bootstrap)
        watch = BrokerWatch(broker, bootstrap, create_topics, said.append)
        watch.check()
        assert broker.pid == killed, "a running broker was restarted"

        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while broker.pid == killed and time.monotonic() < deadline:
            watch.check()
            time.sleep(0.05)

        assert broker.pid not in {killed, None}, f"the broker was not restarted: {said}"
        assert not process_exists(killed), "the killed broker was left a zombie"
        assert broker.bootstrap == bootstrap
        assert topic_partitions(bootstrap) == dict.fromkeys(all_topics(), 2)
        assert said == [
            f"the broker at {bootstrap} was killed by SIGKILL; starting it again",
            f"the broker is back at {bootstrap} with every topic (the events it held are lost)",
        ]
    assert port_is_free(HOST, int(bootstrap.rpartition(":")[2]))
