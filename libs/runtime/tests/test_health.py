"""The worker's HTTP endpoints, over a real socket on 127.0.0.1."""

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

import docflow_runtime.metrics  # registers the docflow_* metrics
from docflow_runtime.health import HealthServer

TIMEOUT = 5.0


@dataclass
class Probe:
    """A check whose answer a test changes; counts how often the server asked."""

    ok: bool
    reason: str
    calls: int = 0

    def __call__(self) -> tuple[bool, str]:
        self.calls += 1
        return (self.ok, self.reason)

    def answer(self, ok: bool, reason: str) -> None:
        self.ok, self.reason, self.calls = ok, reason, 0


@dataclass
class Running:
    server: HealthServer
    liveness: Probe
    readiness: Probe

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.port}{path}"


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def get(url: str) -> Answer:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return Answer(response.status, response.headers["Content-Type"], response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers["Content-Type"], error.read())


@pytest.fixture(scope="module")
def shared() -> Iterator[Running]:
    """One server for the module: each stop() waits out the server's 0.5 s poll interval."""
    liveness = Probe(ok=True, reason="")
    readiness = Probe(ok=True, reason="")
    server = HealthServer("127.0.0.1", 0, liveness=liveness, readiness=readiness)
    server.start()
    try:
        yield Running(server, liveness, readiness)
    finally:
        server.stop()


@pytest.fixture
def running(shared: Running) -> Running:
    """The shared server with its checks reset: live, and not ready yet."""
    shared.liveness.answer(True, "loop last ran 0.1s ago")
    shared.readiness.answer(False, "not yet in the consumer group")
    return shared


def test_port_zero_picks_a_free_port(running: Running) -> None:
    assert running.server.port > 0


def test_healthz_is_200_when_live(running: Running) -> None:
    answer = get(running.url("/healthz"))
    assert answer.status == 200
    assert answer.content_type == "application/json"
    assert answer.json() == {"status": "ok", "reason": "loop last ran 0.1s ago"}


def test_healthz_is_503_when_not_live(running: Running) -> None:
    running.liveness.answer(False, "loop last ran 95.0s ago")
    answer = get(running.url("/healthz"))
    assert answer.status == 503
    assert answer.json() == {"status": "fail", "reason": "loop last ran 95.0s ago"}


def test_readyz_follows_its_check(running: Running) -> None:
    answer = get(running.url("/readyz"))
    assert answer.status == 503
    assert answer.json() == {"status": "fail", "reason": "not yet in the consumer group"}
    running.readiness.answer(True, "consuming")
    answer = get(running.url("/readyz"))
    assert answer.status == 200
    assert answer.json() == {"status": "ok", "reason": "consuming"}


def test_each_probe_asks_its_own_check_every_time(running: Running) -> None:
    for _ in range(3):
        get(running.url("/readyz"))
    get(running.url("/healthz"))
    assert (running.readiness.calls, running.liveness.calls) == (3, 1)


def test_query_strings_are_ignored(running: Running) -> None:
    assert get(running.url("/healthz?verbose=1")).status == 200


def test_metrics_are_prometheus_text(running: Running) -> None:
    answer = get(running.url("/metrics"))
    assert answer.status == 200
    assert answer.content_type.startswith("text/plain")
    text = answer.body.decode()
    assert "# TYPE docflow_stage_processing_seconds histogram" in text
    assert "docflow_stage_events_total" in text


def test_metrics_show_observed_values(running: Running) -> None:
    docflow_runtime.metrics.PROCESSING_SECONDS.labels("health-test").observe(0.2)
    text = get(running.url("/metrics")).body.decode()
    assert 'docflow_stage_processing_seconds_count{stage="health-test"}' in text


@pytest.mark.parametrize("path", ["/", "/health", "/metrics/extra", "/readyz/"])
def test_unknown_paths_are_404(running: Running, path: str) -> None:
    answer = get(running.url(path))
    assert answer.status == 404
    assert answer.json() == {"status": "not found"}


def test_probes_are_answered_concurrently(running: Running) -> None:
    results: list[int] = []
    lock = threading.Lock()

    def probe() -> None:
        status = get(running.url("/healthz")).status
        with lock:
            results.append(status)

    threads = [threading.Thread(target=probe) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    assert results == [200] * 8


def test_stop_frees_the_port() -> None:
    server = HealthServer(
        "127.0.0.1", 0, liveness=lambda: (True, "ok"), readiness=lambda: (True, "ok")
    )
    server.start()
    port = server.port
    assert get(f"http://127.0.0.1:{port}/healthz").status == 200
    server.stop()
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT),
    ):
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        assert again.getsockname()[1] == port


def test_stop_without_start_returns() -> None:
    server = HealthServer(
        "127.0.0.1", 0, liveness=lambda: (True, "ok"), readiness=lambda: (True, "ok")
    )
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=1.0)
    assert not stopper.is_alive(), "stop() of a never started server hangs"
