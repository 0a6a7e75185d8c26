"""A small stand-in for Amazon Textract's endpoint, for driving the real boto3 client over HTTP.

It speaks Textract's wire protocol (AWS JSON 1.1): a ``POST /`` whose ``X-Amz-Target`` header
names the operation (``Textract.AnalyzeDocument``), JSON bodies both ways, and errors as a 4xx
or 5xx status with the exception's name in ``__type``. Answers come from a script the test
writes, one per call, in order. Start… calls behave as Textract's do with a
``ClientRequestToken``: a token seen before gets the job id it got then. ``job_pages`` cuts an
answer into the result pages of an async job.
"""

import contextlib
import itertools
import json
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

from pydantic import BaseModel, ConfigDict

_CONTENT_TYPE: Final = "application/x-amz-json-1.1"
_SERVER_ERRORS: Final = frozenset({"InternalServerError", "ServiceUnavailableException"})


def job_pages(answer: dict[str, Any], parts: int) -> list[dict[str, Any]]:
    """``answer`` as an async job returns it: its blocks spread over ``parts`` result pages
    chained by NextToken."""
    blocks = answer["Blocks"]
    size = -(-len(blocks) // parts)
    pages = []
    for number in range(parts):
        page = {key: value for key, value in answer.items() if key != "Blocks"}
        page["JobStatus"] = "SUCCEEDED"
        page["Blocks"] = blocks[number * size : (number + 1) * size]
        if number < parts - 1:
            page["NextToken"] = f"token-{number + 1}"
        pages.append(page)
    return pages


class Call(BaseModel):
    """One request the server received."""

    model_config = ConfigDict(frozen=True)

    operation: str
    body: dict[str, Any]


class Reply(BaseModel):
    model_config = ConfigDict(frozen=True)

    body: dict[str, Any] = {}
    error: str | None = None
    message: str = ""


class FakeTextract:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.jobs: dict[str, str] = {}
        self.on_call: Callable[[Call], None] | None = None
        self._script: defaultdict[str, deque[Reply]] = defaultdict(deque)
        self._job_ids = (f"job-{number}" for number in itertools.count(1))
        self._lock = threading.Lock()
        self.url = ""

    def answer(self, operation: str, *bodies: dict[str, Any]) -> None:
        """The next answers to ``operation``, one per call."""
        self._script[operation].extend(Reply(body=body) for body in bodies)

    def fail(self, operation: str, error: str, message: str = "", *, times: int = 1) -> None:
        """The next ``times`` calls of ``operation`` fail with ``error``."""
        self._script[operation].extend(Reply(error=error, message=message) for _ in range(times))

    def forget(self, operation: str) -> None:
        """Drop the answers to ``operation`` not yet given."""
        with self._lock:
            self._script[operation].clear()

    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]

    def reply_to(self, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            call = Call(operation=operation, body=body)
            self.calls.append(call)
            scripted = self._script[operation].popleft() if self._script[operation] else None
        if self.on_call is not None:
            self.on_call(call)
        if scripted is not None and scripted.error is not None:
            status = 500 if scripted.error in _SERVER_ERRORS else 400
            return status, {"__type": scripted.error, "message": scripted.message}
        if operation.startswith("Start"):
            return 200, {"JobId": self._job_for(str(body.get("ClientRequestToken", "")))}
        if scripted is None:
            return 400, {"__type": "ScriptExhausted", "message": f"no answer for {operation}"}
        return 200, scripted.body

    def _job_for(self, token: str) -> str:
        with self._lock:
            if not token:
                return next(self._job_ids)
            return self.jobs.setdefault(token, next(self._job_ids))


def _handler(fake: FakeTextract) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            target = self.headers.get("X-Amz-Target", "")
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            status, answer = fake.reply_to(target.removeprefix("Textract."), body)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", _CONTENT_TYPE)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows failures, not every request."""

    return Handler


@contextlib.contextmanager
def fake_textract() -> Iterator[FakeTextract]:
    """A fake Textract on a free loopback port for the block; stopped afterwards."""
    fake = FakeTextract()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fake-textract", daemon=True)
    thread.start()
    try:
        fake.url = f"http://127.0.0.1:{server.server_address[1]}"
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def analysis_of(pages: Sequence[str]) -> dict[str, Any]:
    """A document analysis as Textract gives it for a document whose pages read ``pages``:
    a PAGE block each, a LINE per line of text and a WORD per word, all fully confident."""
    ids = (f"block-{number}" for number in itertools.count(1))
    blocks: list[dict[str, Any]] = []
    for number, text in enumerate(pages, start=1):
        lines = [_line(line, number, ids, blocks) for line in text.splitlines() if line.strip()]
        page = {"BlockType": "PAGE", "Id": next(ids), "Page": number, "Geometry": _GEOMETRY}
        blocks.append(page | {"Relationships": [{"Type": "CHILD", "Ids": lines}]})
    return {"DocumentMetadata": {"Pages": len(pages)}, "JobStatus": "SUCCEEDED", "Blocks": blocks}


_GEOMETRY: Final = {
    "BoundingBox": {"Width": 0.5, "Height": 0.02, "Left": 0.1, "Top": 0.1},
    "Polygon": [{"X": 0.1, "Y": 0.1}, {"X": 0.6, "Y": 0.1}, {"X": 0.6, "Y": 0.12},
                {"X": 0.1, "Y": 0.12}],
}  # fmt: skip


def _line(text: str, page: int, ids: Iterator[str], blocks: list[dict[str, Any]]) -> str:
    words = []
    for word in text.split():
        words.append(next(ids))
        blocks.append(_block("WORD", words[-1], page, word) | {"TextType": "PRINTED"})
    line_id = next(ids)
    line = _block("LINE", line_id, page, " ".join(text.split()))
    blocks.append(line | {"Relationships": [{"Type": "CHILD", "Ids": words}]})
    return line_id


def _block(kind: str, block_id: str, page: int, text: str) -> dict[str, Any]:
    return {"BlockType": kind, "Id": block_id, "Page": page, "Text": text, "Confidence": 99.5,
            "Geometry": _GEOMETRY}  # fmt: skip
