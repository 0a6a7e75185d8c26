"""The whole pipeline as separate processes, driven over HTTP as a user drives it.

End-to-end tests and the pipeline benchmark use this.
"""

import dataclasses
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from docflow_events.topics import all_topics
from docflow_notify.webhook_secret import generate_webhook_secret
from docflow_runtime.admin import ensure_topics
from docflow_testing.tansu import free_port
from docflow_tools.services import INGEST, SERVICES, spawn, stop_processes

WAITING = frozenset({"received", "extracted", "validated", "enriched"})


class Stack:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        logs: Path,
        webhook_secret: str,
        processes: Mapping[str, subprocess.Popen[bytes]],
        *,
        metrics_targets: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url
        #: host:port where each service serves /metrics (ingest: its API port; others: health).
        self.metrics_targets = dict(metrics_targets or {})
        self.logs = logs
        self.webhook_secret = webhook_secret
        self.processes = dict(processes)
        self.client = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {api_key}"}, timeout=30
        )

    def post(
        self, filename: str, body: bytes, form: Mapping[str, str] | None = None
    ) -> httpx.Response:
        files = {"file": (filename, body)}
        return self.client.post("/v1/documents", files=files, data=dict(form or {}))

    def submit(self, path: Path, **form: str) -> str:
        response = self.post(path.name, path.read_bytes(), form)
        assert response.status_code == 202, response.text
        return str(response.json()["id"])

    def settle(
        self, document_id: str, timeout: float = 180, waiting: frozenset[str] = WAITING
    ) -> dict[str, Any]:
        """Poll while the document's status is one of ``waiting`` (by default: until it is
        final or needs review)."""
        deadline = time.monotonic() + timeout
        while True:
            document: dict[str, Any] = self.client.get(f"/v1/documents/{document_id}").json()
            if document["status"] not in waiting:
                return document
            assert time.monotonic() < deadline, f"{document_id} stuck in {document['status']}"
            self.check_running()
            time.sleep(0.5)

    def check_running(self) -> None:
        """Fail at once, with the logs, when a service has exited: nothing would move then."""
        exited = {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}
        assert not exited, f"services exited: {exited}\n{self.diagnostics()}"

    def diagnostics(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in self.logs.glob("*.log"))


def wait_healthy(base_url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"ingest did not answer at {base_url} within {timeout}s")


@contextmanager
def local_stack(
    bootstrap: str, root: Path, api_keys: Mapping[str, str], env: Mapping[str, str] | None = None
) -> Iterator[Stack]:
    """Every service on its own topics, store and blob directory under ``root``.

    ``api_keys`` maps tenants to keys; the stack's client uses the first. Raises after the
    block when a service did not exit cleanly on SIGTERM.
    """
    prefix = f"stack-{uuid.uuid4().hex[:8]}-"
    ensure_topics(bootstrap, [prefix + t for t in all_topics()], 3)
    port = free_port()
    variables = dict(os.environ) | _stack_env(bootstrap, prefix, root, api_keys, port)
    variables |= dict(env or {})
    logs = root / "logs"
    migrate_store(variables)
    services = [dataclasses.replace(s, health_port=free_port()) for s in SERVICES]
    processes = {s.name: spawn(s, variables, logs) for s in services}
    key = next(iter(api_keys.values()))
    secret = variables["DOCFLOW_WEBHOOK_SECRET"]
    metrics = {s.name: f"127.0.0.1:{port if s.name == INGEST else s.health_port}" for s in services}
    stack = Stack(f"http://127.0.0.1:{port}", key, logs, secret, processes, metrics_targets=metrics)
    try:
        wait_healthy(stack.base_url)
        stack.check_running()
        yield stack
    finally:
        stack.client.close()
        codes = stop_processes(list(processes.values()))
    if any(codes):
        raise AssertionError(f"services exited with {codes}\n{stack.diagnostics()}")


def migrate_store(env: Mapping[str, str]) -> None:
    """What a cluster's migration Job does before the services start, in its own process."""
    command = [sys.executable, "-m", "docflow_results.migrate"]
    done = subprocess.run(
        command, check=False, env=dict(env), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"docflow-migrate failed:\n{done.stdout}{done.stderr}"


def _stack_env(
    bootstrap: str, prefix: str, root: Path, api_keys: Mapping[str, str], port: int
) -> dict[str, str]:
    return {
        "DOCFLOW_KAFKA_BOOTSTRAP": bootstrap,
        "DOCFLOW_TOPIC_PREFIX": prefix,
        "DOCFLOW_BLOB_URL": (root / "blobs").as_uri(),
        "DOCFLOW_STORE_URL": f"sqlite:///{root / 'docflow.db'}",
        "DOCFLOW_API_KEYS": ",".join(f"{t}:{k}" for t, k in api_keys.items()),
        "DOCFLOW_INGEST_PORT": str(port),
        "DOCFLOW_INGEST_HOST": "127.0.0.1",
        "DOCFLOW_HEALTH_HOST": "127.0.0.1",
        "DOCFLOW_WEBHOOK_SECRET": generate_webhook_secret(),
        "DOCFLOW_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    }
