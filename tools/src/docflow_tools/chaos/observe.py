"""Reading where a chaos run's documents ended, through the API as their user reads it."""

import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import httpx

from docflow_results.models import DocumentStatus
from docflow_tools.chaos.client import Api

#: Where a document stops without anyone's help: a final status, or waiting for a person.
SETTLED: Final = (
    DocumentStatus.STORED, DocumentStatus.NEEDS_REVIEW, DocumentStatus.REJECTED,
    DocumentStatus.FAILED,
)  # fmt: skip
_POLL_SECONDS: Final = 1.0


@dataclass(frozen=True)
class Observed:
    """Each document as ``GET /v1/documents/{id}`` shows it, its timeline, and the ids the
    tenant's list holds."""

    documents: dict[str, dict[str, Any]]
    timelines: dict[str, list[dict[str, Any]]]
    listed: frozenset[str]


def unsettled(
    statuses: Mapping[str, str],
    accepted: Iterable[str],
    decided: Collection[str],
    notified: Collection[str],
) -> list[str]:
    """The accepted documents still on their way: not settled, decided but not final yet, or
    final without a notice received."""
    waiting = []
    for document_id in accepted:
        status = statuses.get(document_id)
        final = status is not None and DocumentStatus(status).final
        if (
            status not in SETTLED
            or (document_id in decided and not final)
            or (final and document_id not in notified)
        ):
            waiting.append(document_id)
    return waiting


def wait_settled(
    api: Api,
    pending: Callable[[Mapping[str, str]], list[str]],
    *,
    deadline: float,
    running: Callable[[], bool],
) -> list[str]:
    """Poll the statuses until ``pending`` finds nothing, ``deadline`` (``time.monotonic``)
    passes or ``running`` says ``make run`` ended; what is still pending."""
    while True:
        try:
            statuses = {i: d["status"] for i, d in api.documents().items()}
        except httpx.HTTPError:
            statuses = {}  # the API is down: nothing is known to have settled
        left = pending(statuses)
        if not left or time.monotonic() >= deadline or not running():
            return left
        time.sleep(_POLL_SECONDS)


def observe(api: Api, accepted: Iterable[str]) -> Observed:
    """Every accepted document, and every other the tenant has, with its timeline."""
    listed = frozenset(api.documents())
    documents, timelines = {}, {}
    for document_id in sorted(listed | set(accepted)):
        response = api.document_or_none(document_id)
        if response is not None:
            documents[document_id] = response
            timelines[document_id] = api.timeline(document_id)
    return Observed(documents, timelines, listed)
