"""The webhook receiver of a chaos run: records every delivery and checks its signature."""

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass(frozen=True)
class Delivery:
    """One request notify made (a repeat of the same ``webhook_id`` is a delivery too)."""

    webhook_id: str
    type: str
    document_id: str
    name: str | None
    signed: bool
    at: float


class Receiver:
    """An HTTP server on ``host`` (a free port) that answers every notice with 200."""

    def __init__(self, host: str, secret: str) -> None:
        self._deliveries: list[Delivery] = []
        self._lock = threading.Lock()
        self._webhook = Webhook(secret)
        self._server = ThreadingHTTPServer((host, 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhooks")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/webhooks"

    def deliveries(self) -> list[Delivery]:
        with self._lock:
            return list(self._deliveries)

    @classmethod
    @contextlib.contextmanager
    def serving(cls, host: str, secret: str) -> Iterator[Self]:
        """A receiver that answers for as long as the block lasts."""
        receiver = cls(host, secret)
        receiver._thread.start()
        try:
            yield receiver
        finally:
            receiver._server.shutdown()
            receiver._server.server_close()
            receiver._thread.join()

    def _record(self, body: bytes, headers: dict[str, str]) -> None:
        try:
            self._webhook.verify(body, headers)
            signed = True
        except WebhookVerificationError:
            signed = False
        notice: dict[str, Any] = json.loads(body)
        name = (notice.get("metadata") or {}).get("name")
        delivery = Delivery(
            webhook_id=headers.get("webhook-id", ""), type=str(notice.get("type")),
            document_id=str(notice.get("document_id")), name=name, signed=signed,
            at=time.monotonic(),
        )  # fmt: skip
        with self._lock:
            self._deliveries.append(delivery)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        record = self._record

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                record(body, {key.lower(): value for key, value in self.headers.items()})
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the chaos report says what arrived."""

        return Handler
