"""Ingest lives through a restart of its broker, one that forgot every topic and producer id.

The idempotent producer does not survive it (the new broker does not know its producer id);
ingest must refuse uploads while the broker is away, say it is not ready, and accept uploads
again once a broker with the topics answers, without being restarted itself.
"""

import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from docflow_events import Topic
from docflow_ingest.app import create_app
from docflow_runtime.settings import KafkaSettings
from docflow_testing.broker import consume_all, make_topics, unique_prefix
from docflow_testing.tansu import TansuBroker, free_port

from .helpers import auth, make_settings

pytestmark = pytest.mark.connected
TOPICS = (Topic.DOCUMENT_RECEIVED, Topic.REVIEW_DECIDED)
#: Longer than a publish timeout, a replaced producer's first connection and a retry.
RECOVERY_SECONDS = 30.0


def start_broker(port: int, prefix: str, logs: Path) -> TansuBroker:
    broker = TansuBroker("127.0.0.1", port, log_dir=logs)
    broker.start()
    # The broker keeps topics in memory only: after a restart they are made again, as make
    # run's supervisor does.
    make_topics(broker.bootstrap, prefix, TOPICS, partitions=1)
    return broker


def kill(broker: TansuBroker) -> None:
    assert broker.pid is not None
    os.kill(broker.pid, signal.SIGKILL)
    broker.stop()  # reaps the killed process


def upload(client: TestClient, content: bytes) -> httpx.Response:
    response: httpx.Response = client.post(
        "/v1/documents", content=content, headers=auth("acme") | {"X-Filename": "terms.txt"}
    )
    return response


def eventually(check: Callable[[], httpx.Response], status: int) -> httpx.Response:
    """``check`` again, a second apart, until it answers ``status`` (bounded)."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while (response := check()).status_code != status:
        assert time.monotonic() < deadline, f"still {response.status_code}: {response.text}"
        time.sleep(1.0)
    return response


@dataclass
class Running:
    """Ingest (through ``client``) on a broker of its own that the test can restart."""

    broker: TansuBroker
    prefix: str
    logs: Path
    client: TestClient = field(init=False)

    def kill_broker(self) -> None:
        kill(self.broker)

    def start_broker_again(self) -> None:
        self.broker = start_broker(self.broker.port, self.prefix, self.logs)

    def announced(self) -> list[bytes | None]:
        """The keys of the document.received events on the (new) broker."""
        topic = self.prefix + Topic.DOCUMENT_RECEIVED
        read = consume_all(self.broker.bootstrap, topic, expected=1, timeout=RECOVERY_SECONDS)
        return [message.key for message in read]


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    port, prefix = free_port(), unique_prefix()
    settings = make_settings(
        tmp_path, kafka=KafkaSettings(bootstrap=f"127.0.0.1:{port}"), topic_prefix=prefix,
        publish_timeout_seconds=2, readiness_timeout_seconds=1, retry_after_seconds=1,
    )  # fmt: skip
    running = Running(start_broker(port, prefix, tmp_path), prefix, tmp_path)
    try:
        with TestClient(create_app(settings)) as running.client:
            yield running
    finally:
        running.broker.stop()


def test_uploads_flow_again_after_the_broker_restarted(running: Running) -> None:
    client = running.client
    assert upload(client, b"Before the restart.\n").status_code == 202
    assert client.get("/readyz").status_code == 200

    running.kill_broker()
    refused = upload(client, b"While the broker is away.\n")
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["type"] == "urn:docflow:problem:broker-unavailable"
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["detail"].startswith("broker: ")
    assert len(client.get("/v1/documents", headers=auth("acme")).json()["items"]) == 1

    running.start_broker_again()
    accepted = eventually(lambda: upload(client, b"While the broker is away.\n"), 202)
    eventually(lambda: client.get("/readyz"), 200)
    assert running.announced() == [accepted.json()["id"].encode()]


def test_a_restart_while_ingest_is_idle_costs_no_upload(running: Running) -> None:
    # No upload fails while the broker is away; the producer hears of the outage from its own
    # client, is replaced, and the first upload on the new broker goes through.
    client = running.client
    assert upload(client, b"Before the restart.\n").status_code == 202
    running.kill_broker()
    running.start_broker_again()
    accepted = upload(client, b"After the restart.\n")
    assert accepted.status_code == 202, accepted.text
    assert running.announced() == [accepted.json()["id"].encode()]
