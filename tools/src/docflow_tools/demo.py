"""``make demo``: post documents to a running docflow (``make run``) and print their records.

    python -m docflow_tools.demo [FILE ...]

Without files it posts a contract, an invoice and a scanned receipt from ``samples/``.
The address and key come from the same variables the services read (``DOCFLOW_INGEST_PORT``,
the first pair of ``DOCFLOW_API_KEYS``), with the ``make run`` defaults.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from docflow_testing.samples import sample

SAMPLES = (
    "kleister-nda/0564e5bce70dd2df5473d64da16ddbe3.pdf",
    "invoices/coolblue1.pdf",
    "invoices/oyo.png",
)
SETTLED = {"stored", "needs_review", "rejected", "failed"}


class Client:
    def __init__(self, base_url: str, key: str) -> None:
        self.base_url, self.key = base_url, key

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
        request = urllib.request.Request(  # noqa: S310 - the URL is the local API's
            self.base_url + path, data=body, method=method,
            headers={"Authorization": f"Bearer {self.key}", **(headers or {})},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read())
            return answer

    def upload(self, path: Path) -> str:
        answer = self.call("POST", "/v1/documents", path.read_bytes(), {"X-Filename": path.name})
        return str(answer["id"])

    def settle(self, document_id: str, timeout: float = 300) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            document = self.call("GET", f"/v1/documents/{document_id}")
            if document["status"] in SETTLED:
                return document
            time.sleep(0.5)
        raise TimeoutError(f"{document_id} did not settle within {timeout}s")


def describe(path: Path, document: dict[str, Any]) -> str:
    lines = [f"{path.name}: {document['status']}  (id {document['id']})"]
    if document.get("error"):
        lines.append(f"  error: {document['error']}")
    if document["status"] == "needs_review":
        lines.append("  waits for a reviewer: GET /v1/reviews lists its findings; "
                     f"POST /v1/documents/{document['id']}/review decides")  # fmt: skip
    result = document.get("result") or {}
    if result:
        entities = {k: v for k, v in result["entities"].items() if v not in (None, [], {})}
        lines += [
            f"  type:     {result['classification']['type']} "
            f"({result['classification']['confidence']:.2f})",
            f"  entities: {json.dumps(entities, ensure_ascii=False)}",
            f"  summary:  {result['summary'][:300]}",
            f"  pages:    {len(result['pages'])}, timings: {result['timings']}",
        ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or [sample(name) for name in SAMPLES]
    port = os.environ.get("DOCFLOW_INGEST_PORT", "8080")
    key = os.environ.get("DOCFLOW_API_KEYS", "local:dev-key").split(",")[0].partition(":")[2]
    client = Client(f"http://127.0.0.1:{port}", key)
    try:
        posted = {path: client.upload(path) for path in files}
        for path, document_id in posted.items():
            print(describe(path, client.settle(document_id)), end="\n\n")
    except (urllib.error.URLError, TimeoutError) as exc:
        print(f"docflow demo: {exc} (is `make run` running?)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
