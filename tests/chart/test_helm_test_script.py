"""The `helm test` Pod's script (charts/docflow/files/document-stored.sh), run here as the Pod
runs it: against the real services over HTTP, and against answers it must refuse."""

import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from docflow_tools.stack import local_stack

from .conftest import CHART

SCRIPT = CHART / "files" / "document-stored.sh"


def _run(
    api: str, api_keys: str, work: Path, timeout_seconds: int
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(SCRIPT)],
        env={
            "PATH": "/usr/bin:/bin",
            "API": api,
            "API_KEYS": api_keys,
            "TIMEOUT_SECONDS": str(timeout_seconds),
            "TMPDIR": str(work),
        },
        capture_output=True,
        text=True,
        timeout=timeout_seconds + 60,
        check=False,
    )


class _FakeApi(BaseHTTPRequestHandler):
    """Answers an upload with a document that then has ``final_status``."""

    final_status: ClassVar[str] = "failed"
    seen_keys: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.seen_keys.append(self.headers["Authorization"])
        self._answer(202, {"id": "doc-1", "status": "received"})

    def do_GET(self) -> None:
        record: dict[str, object] = {
            "id": "doc-1",
            "status": self.final_status,
            "result": {"status": "stored"},
        }
        self._answer(200, record)

    def _answer(self, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def _fake_api(final_status: str) -> Iterator[str]:
    _FakeApi.final_status = final_status
    _FakeApi.seen_keys = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("final_status", ["failed", "needs_review", "rejected"])
def test_a_document_that_does_not_get_stored_fails_the_test(
    tmp_path: Path, final_status: str
) -> None:
    with _fake_api(final_status) as api:
        result = _run(api, "first:key-one,second:key-two", tmp_path, timeout_seconds=20)
    assert result.returncode == 1
    assert f"ended {final_status}" in result.stdout
    # The first status is the document's own, not one nested in its record.
    assert "status: stored" not in result.stdout
    assert _FakeApi.seen_keys == ["Bearer key-one"]


def test_an_api_that_does_not_answer_fails_the_test(tmp_path: Path) -> None:
    with _fake_api("stored") as api:
        pass  # stopped: nothing listens there any more
    result = _run(api, "t:k", tmp_path, timeout_seconds=10)
    assert result.returncode != 0


@pytest.mark.slow
def test_the_helm_test_passes_against_the_real_services(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    with local_stack(kafka_bootstrap, tmp_path / "stack", {"evaluation": "helm-test-key"}) as stack:
        result = _run(stack.base_url, "evaluation:helm-test-key", tmp_path, timeout_seconds=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "status: stored" in result.stdout
