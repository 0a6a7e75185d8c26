"""The ingest API as a chaos run's user calls it, with the retries a careful client makes
while the API is down or refuses for a while (a restart, a broker outage)."""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal

import httpx

from docflow_tools.chaos.documents import ChaosDocument

TENANT: Final = "chaos"
_TIMEOUT_SECONDS: Final = 30.0
_PAGE: Final = 200
_FIRST_PAUSE_SECONDS: Final = 0.5
_LONGEST_PAUSE_SECONDS: Final = 5.0
#: A duplicate of an upload still being accepted: it is worth asking again.
_IN_PROGRESS: Final = "urn:docflow:problem:request-in-progress"

Decision = Literal["approve", "reject"]


@dataclass(frozen=True)
class Answer:
    """The last answer of a call tried until it was not worth retrying (or time ran out)."""

    status: int | None
    body: dict[str, Any]
    attempts: int
    error: str | None = None

    @property
    def problem(self) -> str:
        return str(self.body.get("type", ""))


class Api:
    def __init__(self, base_url: str, key: str) -> None:
        self._client = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=_TIMEOUT_SECONDS
        )

    def upload(self, document: ChaosDocument, callback_url: str) -> httpx.Response:
        form = {"callback_url": callback_url, "metadata": json.dumps({"name": document.name})}
        if document.document_type:
            form["document_type"] = document.document_type
        files = {"file": (document.filename, document.content, "text/plain")}
        return self._client.post("/v1/documents", files=files, data=form)

    def review(self, document_id: str, decision: Decision) -> httpx.Response:
        return self._client.post(f"/v1/documents/{document_id}/review", json={"decision": decision})

    def documents(self) -> dict[str, dict[str, Any]]:
        """Every document of the tenant, by id."""
        return {d["id"]: d for d in self._pages("/v1/documents")}

    def reviews(self) -> list[str]:
        """The ids of the documents waiting for a decision."""
        return [item["id"] for item in self._pages("/v1/reviews")]

    def document_or_none(self, document_id: str) -> dict[str, Any] | None:
        response = self._client.get(f"/v1/documents/{document_id}")
        return None if response.status_code == httpx.codes.NOT_FOUND else self._json(response)

    def timeline(self, document_id: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = self._json(
            self._client.get(f"/v1/documents/{document_id}/events")
        )["events"]
        return events

    def close(self) -> None:
        self._client.close()

    def _pages(self, path: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params: dict[str, str | int] = {"limit": _PAGE}
        while True:
            page = self._json(self._client.get(path, params=params))
            items += page["items"]
            if page["next_cursor"] is None:
                return items
            params["cursor"] = page["next_cursor"]

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body


def retried(call: Callable[[], httpx.Response], *, deadline: float) -> Answer:
    """``call`` until it answers something other than "not now" (no connection, 503, an
    upload in progress), with growing pauses (``Retry-After`` when shorter), or ``deadline``
    (a ``time.monotonic`` reading) passes."""
    pause, attempts = _FIRST_PAUSE_SECONDS, 0
    while True:
        attempts += 1
        answer, retry_after = _attempt(call, attempts)
        if not _worth_retrying(answer) or time.monotonic() + pause > deadline:
            return answer
        time.sleep(min(pause, retry_after or pause))
        pause = min(pause * 2, _LONGEST_PAUSE_SECONDS)


def _attempt(call: Callable[[], httpx.Response], attempts: int) -> tuple[Answer, float | None]:
    try:
        response = call()
    except httpx.TransportError as exc:
        return Answer(None, {}, attempts, f"{type(exc).__name__}: {exc}"), None
    try:
        body = response.json()
    except ValueError:
        body = {}
    retry_after = response.headers.get("retry-after", "")
    return (
        Answer(response.status_code, body if isinstance(body, dict) else {}, attempts),
        float(retry_after) if retry_after.isdigit() else None,
    )


def _worth_retrying(answer: Answer) -> bool:
    return (
        answer.status is None
        or answer.status == httpx.codes.SERVICE_UNAVAILABLE
        or (answer.status == httpx.codes.CONFLICT and answer.problem == _IN_PROGRESS)
    )
