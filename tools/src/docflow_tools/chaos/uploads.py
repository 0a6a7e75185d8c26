"""Posting a chaos run's documents at a steady rate, each retried while the API is down."""

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from docflow_tools.chaos.client import Api, retried
from docflow_tools.chaos.documents import ChaosDocument

ACCEPTED = frozenset({httpx.codes.ACCEPTED, httpx.codes.OK})


@dataclass
class Upload:
    document: ChaosDocument
    document_id: str | None = None
    status: int | None = None
    attempts: int = 0
    error: str | None = None
    #: ``time.monotonic()`` when it was accepted.
    accepted_at: float | None = None


class Uploader:
    """Posts ``documents`` one after the other, the n-th at ``n / rate`` seconds after the start
    (later when the ones before took longer); gives up on one after ``patience`` seconds."""

    def __init__(
        self, api: Api, documents: Sequence[ChaosDocument], callback_url: str, *,
        rate: float, patience: float,
    ) -> None:  # fmt: skip
        self._api = api
        self._callback_url = callback_url
        self._rate = rate
        self._patience = patience
        self._lock = threading.Lock()
        self.uploads = [Upload(document) for document in documents]

    def accepted(self) -> dict[str, str]:
        """The names of the documents accepted so far, by id."""
        with self._lock:
            return {u.document_id: u.document.name for u in self.uploads if u.document_id}

    def post_all(self, started: float, stop: threading.Event) -> None:
        for index, upload in enumerate(self.uploads):
            if stop.wait(max(0.0, started + index / self._rate - time.monotonic())):
                return
            self._post(upload)

    def _post(self, upload: Upload) -> None:
        deadline = time.monotonic() + self._patience
        answer = retried(
            lambda: self._api.upload(upload.document, self._callback_url), deadline=deadline
        )
        with self._lock:
            upload.status, upload.error = answer.status, answer.error
            upload.attempts = answer.attempts
            if answer.status in ACCEPTED:
                upload.document_id = str(answer.body["id"])
                upload.accepted_at = time.monotonic()
