"""The worker's own HTTP endpoints: ``/healthz``, ``/readyz`` and ``/metrics``.

Liveness and readiness come from callables that return ``(ok, reason)``, so the server knows
nothing about Kafka. It runs on a daemon thread and never blocks the worker loop.
"""

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

Check = Callable[[], tuple[bool, str]]


class HealthServer:
    def __init__(self, host: str, port: int, *, liveness: Check, readiness: Check) -> None:
        routes: dict[str, Check] = {"/healthz": liveness, "/readyz": readiness}
        self._server = ThreadingHTTPServer((host, port), _handler_for(routes))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() would wait forever for a loop never started
            self._server.shutdown()
        self._server.server_close()


def _checked(check: Check) -> tuple[bool, str]:
    """A check that raises is a failed check, not a dropped probe."""
    try:
        return check()
    except Exception as exc:
        return (False, f"check failed: {type(exc).__name__}: {exc}")


def _handler_for(routes: dict[str, Check]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/metrics":
                self._send(200, CONTENT_TYPE_LATEST, generate_latest())
            elif path in routes:
                ok, reason = _checked(routes[path])
                body = json.dumps({"status": "ok" if ok else "fail", "reason": reason}).encode()
                self._send(200 if ok else 503, "application/json", body)
            else:
                self._send(404, "application/json", b'{"status": "not found"}')

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Probes every few seconds would drown the event log."""

    return Handler
