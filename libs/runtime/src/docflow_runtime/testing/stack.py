"""The whole pipeline driven over HTTP, as a user drives it: post, poll, review.

End-to-end tests and ``make demo`` use this.
"""

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

WAITING = {"received", "extracted", "validated", "enriched"}


class Stack:
    def __init__(self, base_url: str, api_key: str, logs: Path) -> None:
        self.base_url = base_url
        self.logs = logs
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

    def settle(self, document_id: str, timeout: float = 180) -> dict[str, Any]:
        """Poll until the document leaves the automatic steps (final or needs_review)."""
        deadline = time.monotonic() + timeout
        while True:
            document: dict[str, Any] = self.client.get(f"/v1/documents/{document_id}").json()
            if document["status"] not in WAITING:
                return document
            assert time.monotonic() < deadline, f"{document_id} stuck in {document['status']}"
            time.sleep(0.5)

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
