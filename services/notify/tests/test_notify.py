"""The notify stage against a real HTTP receiver on 127.0.0.1, verified as a receiver would."""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from docflow_notify.stage import Notify
from docflow_notify.webhook_secret import generate_webhook_secret
from docflow_notify.webhooks import UnsafeCallbackUrlError, WebhookSender, check_callback_url
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.errors import TransientError
from docflow_testing.events import DocumentFlow, through_kafka
from docflow_tracker.stage import Tracker

SECRET = generate_webhook_secret()
GLOBEX_SECRET = generate_webhook_secret()


@dataclass
class Reply:
    status: int = 204
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def verify(self, secret: str) -> Any:
        return Webhook(secret).verify(self.body, self.headers)


class Receiver(ThreadingHTTPServer):
    """Answers POSTs with scripted replies (then 204) and keeps what it received."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.replies: list[Reply] = []
        self.received: list[Received] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/docflow"

    def next_reply(self, received: Received) -> Reply:
        with self.lock:
            self.received.append(received)
            return self.replies.pop(0) if self.replies else Reply()


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.next_reply(Received(headers, body))
        time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def notify(repository: SqliteRepository) -> Iterator[Notify]:
    secrets = {"globex": GLOBEX_SECRET}
    stage = Notify(repository, WebhookSender(0.5), lambda tenant: secrets.get(tenant, SECRET),
                   allow_private_targets=True)  # the receiver is on loopback  # fmt: skip
    yield stage
    stage.close()


def received_with(
    repository: SqliteRepository, callback_url: str | None, tenant: str = "acme"
) -> DocumentFlow:
    flow = DocumentFlow("doc-1", tenant)
    Tracker(repository).handle(through_kafka(flow.received(callback_url=callback_url)))
    return flow


def test_a_stored_document_is_announced_signed_with_the_event_id(
    notify: Notify, repository: SqliteRepository, receiver: Receiver
) -> None:
    flow = received_with(repository, receiver.url)
    assert notify.handle(through_kafka(flow.stored(), event_id="stored-1")) == []
    [request] = receiver.received
    payload = request.verify(SECRET)
    assert request.headers["webhook-id"] == "stored-1"
    assert request.headers["content-type"] == "application/json"
    assert payload["type"] == "document.stored"
    assert (payload["document_id"], payload["status"]) == ("doc-1", "stored")
    assert (payload["filename"], payload["metadata"]) == ("nda.pdf", {"ref": "case-7"})
    assert payload["cost_usd"] == 0.017
    with pytest.raises(WebhookVerificationError):
        request.verify(GLOBEX_SECRET)
    [delivery] = repository.webhook_deliveries("acme", "doc-1")
    assert (delivery.id, delivery.attempt, delivery.status_code) == ("stored-1/1", 1, 204)
    assert delivery.delivered
    assert delivery.error is None
    assert delivery.url == receiver.url


def test_a_503_is_retried_and_then_delivered_once(
    notify: Notify, repository: SqliteRepository, receiver: Receiver
) -> None:
    flow = received_with(repository, receiver.url)
    receiver.replies = [Reply(503, headers={"retry-after": "2"})]
    event = through_kafka(flow.stored(), event_id="stored-1")
    with pytest.raises(TransientError, match="HTTP 503") as raised:
        notify.handle(event)
    assert raised.value.retry_after == 2.0
    assert notify.handle(event) == []  # the runtime's retry
    assert notify.handle(event) == []  # a redelivery after a crash: nothing is sent again
    assert [r.headers["webhook-id"] for r in receiver.received] == ["stored-1", "stored-1"]
    for request in receiver.received:
        assert request.verify(SECRET)["status"] == "stored"
    log = repository.webhook_deliveries("acme", "doc-1")
    assert [(d.attempt, d.status_code, d.delivered) for d in log] == [
        (1, 503, False), (2, 204, True)
    ]  # fmt: skip
    assert log[0].error == "HTTP 503"


@pytest.mark.parametrize("status", [408, 429, 500, 502])
def test_retryable_answers_raise_transient_errors(
    notify: Notify, repository: SqliteRepository, receiver: Receiver, status: int
) -> None:
    flow = received_with(repository, receiver.url)
    receiver.replies = [Reply(status)]
    with pytest.raises(TransientError):
        notify.handle(through_kafka(flow.stored()))
    assert repository.webhook_deliveries("acme", "doc-1")[0].status_code == status


@pytest.mark.parametrize("status", [400, 404, 410, 301])
def test_a_final_refusal_is_logged_and_not_retried(
    notify: Notify, repository: SqliteRepository, receiver: Receiver, status: int
) -> None:
    flow = received_with(repository, receiver.url)
    receiver.replies = [Reply(status)]
    event = through_kafka(flow.stored())
    assert notify.handle(event) == []
    assert notify.handle(event) == []  # redelivered: the log says it was given up
    assert len(receiver.received) == 1
    [delivery] = repository.webhook_deliveries("acme", "doc-1")
    assert (delivery.status_code, delivery.delivered) == (status, False)


def test_a_receiver_that_does_not_answer_in_time_is_retried(
    notify: Notify, repository: SqliteRepository, receiver: Receiver
) -> None:
    flow = received_with(repository, receiver.url)
    receiver.replies = [Reply(204, delay=2.0)]
    with pytest.raises(TransientError, match="timed out"):
        notify.handle(through_kafka(flow.stored()))
    [delivery] = repository.webhook_deliveries("acme", "doc-1")
    assert (delivery.status_code, delivery.error) == (None, "timed out")


def test_a_receiver_that_is_not_listening_is_retried(
    notify: Notify, repository: SqliteRepository
) -> None:
    closed = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    url = f"http://127.0.0.1:{closed.server_address[1]}/hook"
    closed.server_close()
    flow = received_with(repository, url)
    with pytest.raises(TransientError, match="connection failed"):
        notify.handle(through_kafka(flow.stored()))


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "/relative/hook"]
)
def test_callback_urls_that_are_not_http_are_refused(
    notify: Notify, repository: SqliteRepository, url: str
) -> None:
    flow = received_with(repository, url)
    assert notify.handle(through_kafka(flow.stored())) == []
    [delivery] = repository.webhook_deliveries("acme", "doc-1")
    assert delivery.error is not None
    assert delivery.error.startswith("refused")
    assert not delivery.delivered


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",  # loopback
        "http://localhost/hook",  # a name for loopback
        "http://10.1.2.3/hook",  # private network
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata service
        "http://[::1]/hook",
    ],
)
def test_callback_urls_that_reach_inside_the_network_are_refused(
    repository: SqliteRepository, url: str
) -> None:
    strict = Notify(repository, WebhookSender(0.5), lambda _: SECRET)
    flow = received_with(repository, url)
    assert strict.handle(through_kafka(flow.stored())) == []
    [delivery] = repository.webhook_deliveries("acme", "doc-1")
    assert delivery.error is not None
    assert delivery.error.startswith("refused: the callback host resolves to a non-public")
    assert not delivery.delivered


def test_a_public_address_passes_the_check() -> None:
    check_callback_url("https://93.184.215.14/hook")  # a literal public address, no lookup
    with pytest.raises(UnsafeCallbackUrlError):
        check_callback_url("https://192.168.0.10/hook")
    check_callback_url("https://192.168.0.10/hook", allow_private=True)


def test_failures_and_rejections_are_announced_too(
    notify: Notify, repository: SqliteRepository, receiver: Receiver
) -> None:
    flow = received_with(repository, receiver.url)
    notify.handle(through_kafka(flow.failed("extract")))
    other = DocumentFlow("doc-2")
    Tracker(repository).handle(through_kafka(other.received(callback_url=receiver.url)))
    notify.handle(through_kafka(other.review("rejected")))
    failed, rejected = (r.verify(SECRET) for r in receiver.received)
    assert (failed["type"], failed["status"]) == ("document.failed", "failed")
    assert failed["error"] == {
        "stage": "extract",
        "reason": "not a PDF: the content starts with an HTML tag",
        "error_class": "UnsupportedFormatError",
    }
    assert (rejected["type"], rejected["document_id"]) == ("document.rejected", "doc-2")


def test_what_needs_no_webhook_sends_none(
    notify: Notify, repository: SqliteRepository, receiver: Receiver
) -> None:
    flow = received_with(repository, receiver.url)
    tracker = Tracker(repository)
    notify.handle(through_kafka(flow.review("approved")))  # the flow goes on
    notify.handle(through_kafka(flow.failed("notify")))  # its own failures would loop
    tracker.handle(through_kafka(flow.stored()))
    notify.handle(through_kafka(flow.failed("tracker")))  # stored already: superseded
    silent = DocumentFlow("doc-2")
    tracker.handle(through_kafka(silent.received(callback_url=None)))
    notify.handle(through_kafka(silent.stored()))  # no callback url
    notify.handle(through_kafka(DocumentFlow("ghost").stored()))  # unknown document
    assert receiver.received == []
    assert repository.webhook_deliveries("acme", "doc-1") == []


def test_each_tenant_signs_with_its_own_secret(
    notify: Notify, repository: SqliteRepository, receiver: Receiver
) -> None:
    flow = received_with(repository, receiver.url, tenant="globex")
    notify.handle(through_kafka(flow.stored()))
    [request] = receiver.received
    assert request.verify(GLOBEX_SECRET)["document_id"] == "doc-1"
    with pytest.raises(WebhookVerificationError):
        request.verify(SECRET)


def test_the_body_is_exactly_what_was_signed(
    notify: Notify, repository: SqliteRepository, receiver: Receiver
) -> None:
    flow = received_with(repository, receiver.url)
    notify.handle(through_kafka(flow.stored()))
    [request] = receiver.received
    tampered = json.loads(request.body) | {"status": "failed"}
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(json.dumps(tampered), request.headers)
    assert int(request.headers["webhook-timestamp"]) == pytest.approx(time.time(), abs=30)


def test_an_earlier_runs_outcome_is_not_announced(
    notify: Notify, repository: SqliteRepository, receiver: Receiver
) -> None:
    flow = received_with(repository, receiver.url)
    Tracker(repository).handle(through_kafka(flow.received().model_copy(update={"run": 2})))
    assert notify.handle(through_kafka(flow.failed())) == []
    assert receiver.received == []
    with pytest.raises(TransientError, match="has not seen run 3 begin"):
        notify.handle(through_kafka(flow.stored().model_copy(update={"run": 3})))
    assert notify.handle(through_kafka(flow.stored().model_copy(update={"run": 2}))) == []
    [request] = receiver.received
    assert request.verify(SECRET)["status"] == "stored"
