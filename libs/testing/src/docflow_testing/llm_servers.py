"""Model servers for tests: loopback HTTP servers that speak the wire formats of Amazon
Bedrock's Converse API and of OpenAI chat completions, answering from a script.

The clients under test are the real ones (boto3 with ``endpoint_url``, httpx with a base url),
so requests, errors, retries and parsing go over real HTTP. Each request gets the next step of
the script; the last step answers every request after it (a server that keeps throttling).
A step is a :class:`Canned` response, or a function of the request's JSON body that returns
one (to answer with usage computed from the prompt, as a real server would).
"""

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

#: Characters per token of English text for the usage the servers make up: close to what
#: Claude's and Llama's tokenizers count on contracts.
CHARS_PER_TOKEN: Final = 4


@dataclass(frozen=True)
class Canned:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


Step = Canned | Callable[[dict[str, Any]], Canned]


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class ModelServer:
    """A scripted server on 127.0.0.1; see :func:`model_server`."""

    def __init__(self, script: Sequence[Step]) -> None:
        if not script:
            raise ValueError("a model server needs at least one step")
        self._script = list(script)
        self._lock = threading.Lock()
        self.requests: list[Seen] = []
        self.url = ""

    def respond(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> Canned:
        with self._lock:
            self.requests.append(Seen(path, headers, body))
            step = self._script[min(len(self.requests), len(self._script)) - 1]
        return step(body) if callable(step) else step


@contextmanager
def model_server(script: Sequence[Step]) -> Iterator[ModelServer]:
    """Serve ``script`` on a free loopback port until the block ends."""
    server = ModelServer(script)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _handler(server: ModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            canned = server.respond(self.path, dict(self.headers.items()), body)
            payload = canned.body if isinstance(canned.body, str) else json.dumps(canned.body)
            self.send_response(canned.status)
            self.send_header("Content-Type", "application/json")
            for name, value in canned.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload.encode())))
            self.end_headers()
            self.wfile.write(payload.encode())

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows what a test prints."""

    return Handler


def tokens(text: str) -> int:
    return max(1, len(text) // CHARS_PER_TOKEN)


# Bedrock Converse (POST /model/{modelId}/converse)


def converse_answer(
    answer: Any,
    *,
    tool: str = "record_document_facts",
    stop_reason: str = "tool_use",
    input_tokens: int = 1000,
    output_tokens: int = 200,
) -> Canned:
    """A Converse response whose model called ``tool`` with ``answer`` as its input."""
    content = [{"toolUse": {"toolUseId": "tooluse_1", "name": tool, "input": answer}}]
    return Canned(
        200,
        {
            "output": {"message": {"role": "assistant", "content": content}},
            "stopReason": stop_reason,
            "usage": {
                "inputTokens": input_tokens,
                "outputTokens": output_tokens,
                "totalTokens": input_tokens + output_tokens,
            },
            "metrics": {"latencyMs": 420},
        },
    )


def converse_echo(answer: Any, *, stop_reason: str = "tool_use") -> Step:
    """A Converse step whose usage is counted from the request and the answer."""

    def step(request: dict[str, Any]) -> Canned:
        prompt = json.dumps([request.get("system"), request.get("messages")])
        tool = json.dumps(request.get("toolConfig"))
        return converse_answer(
            answer,
            stop_reason=stop_reason,
            input_tokens=tokens(prompt) + tokens(tool),
            output_tokens=tokens(json.dumps(answer)),
        )

    return step


def aws_error(code: str, status: int, *, retry_after: str | None = None) -> Canned:
    """An AWS JSON error as Bedrock sends it: the type in a header and in the body."""
    headers = {"x-amzn-errortype": f"{code}:http://internal.amazon.com/coral/com.amazon.bedrock/"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return Canned(status, {"__type": code, "message": f"{code} from the test server"}, headers)


# OpenAI chat completions (POST {base_url}/chat/completions)


def chat_answer(
    content: str | None,
    *,
    finish_reason: str = "stop",
    prompt_tokens: int = 1000,
    completion_tokens: int = 200,
) -> Canned:
    return Canned(
        200,
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
    )


def chat_echo(content: str, *, finish_reason: str = "stop") -> Step:
    """A chat-completions step whose usage is counted from the request and the answer."""

    def step(request: dict[str, Any]) -> Canned:
        prompt = json.dumps([request.get("messages"), request.get("response_format")])
        return chat_answer(
            content,
            finish_reason=finish_reason,
            prompt_tokens=tokens(prompt),
            completion_tokens=tokens(content),
        )

    return step


def http_error(status: int, *, retry_after: str | None = None) -> Canned:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    body = {"error": {"message": f"HTTP {status} from the test server", "code": status}}
    return Canned(status, body, headers)


def document_facts(**fields: Any) -> dict[str, Any]:
    """A complete answer of the enrichment schema: nothing found, except ``fields``."""
    empty: dict[str, Any] = {
        "document_type": "other",
        "type_confidence": 0.5,
        "parties": [],
        "effective_date": None,
        "dates": [],
        "amounts": [],
        "jurisdiction": None,
        "term": None,
        "issuer": None,
        "invoice_number": None,
        "issue_date": None,
        "total": None,
        "summary": "",
    }
    unknown = set(fields) - set(empty)
    if unknown:
        raise ValueError(f"not fields of the answer: {sorted(unknown)}")
    return {**empty, **fields}
