"""Prometheus metrics of the ingest service (``docflow_`` prefix, bounded labels)."""

import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from docflow_ingest.core.review_queue import waiting
from docflow_results.repository import Repository
from docflow_runtime.logging import get_logger

log = get_logger(__name__)

#: From a one-page text to the default 50 MiB limit.
SIZE_BUCKETS: Final = tuple(float(4**n * 1024) for n in range(10))

UPLOADS: Final = Counter(
    "docflow_ingest_uploads_total",
    "Uploads answered, by outcome (accepted, duplicate, or the problem type)",
    ["outcome"],
)
UPLOAD_BYTES: Final = Histogram(
    "docflow_ingest_upload_size_bytes",
    "Size of the documents stored by uploads",
    buckets=SIZE_BUCKETS,
)


#: Reviews take minutes to days.
REVIEW_WAIT_BUCKETS: Final = (
    60.0, 300.0, 900.0, 1800.0, 3600.0, 4 * 3600.0, 8 * 3600.0, 86400.0, 3 * 86400.0, 7 * 86400.0,
)  # fmt: skip
#: How a review can end (the ``outcome`` label): approved as proposed, approved with
#: corrected fields, or rejected.
DECISION_OUTCOMES: Final = ("approved", "corrected", "rejected")
REVIEW_DECISIONS: Final = Counter(
    "docflow_review_decisions_total",
    "Review decisions published, by outcome (approved, corrected, rejected)",
    ["outcome"],
)
REVIEW_WAIT: Final = Histogram(
    "docflow_review_decision_wait_seconds",
    "Time from entering review (needs_review) to the decision, by outcome",
    ["outcome"],
    buckets=REVIEW_WAIT_BUCKETS,
)
for _outcome in DECISION_OUTCOMES:  # every outcome reads 0 before the first decision
    REVIEW_DECISIONS.labels(_outcome)
    REVIEW_WAIT.labels(_outcome)


def count_decision(
    decision: Literal["approved", "rejected"],
    corrections: Mapping[str, Any],
    *,
    waiting_since: datetime,
) -> None:
    outcome = "corrected" if decision == "approved" and corrections else decision
    REVIEW_DECISIONS.labels(outcome).inc()
    REVIEW_WAIT.labels(outcome).observe(_seconds_since(waiting_since))


@dataclass(frozen=True)
class _Reading:
    at: float
    #: (tenant, document type) → when each of its waiting documents entered review.
    waiting: dict[tuple[str, str], list[datetime]]


class ReviewQueue(Collector):
    """Documents waiting for a reviewer per tenant and document type, read from the results
    store (the only place that knows) at most once per ``refresh_seconds``: scrapes from
    several Prometheus replicas must not each walk the queue."""

    def __init__(self, refresh_seconds: float = 15.0) -> None:
        self._refresh_seconds = refresh_seconds
        self._source: tuple[Repository, tuple[str, ...]] | None = None
        self._reading: _Reading | None = None
        self._lock = threading.Lock()

    def watch(
        self, repository: Repository, tenants: Iterable[str], refresh_seconds: float | None = None
    ) -> None:
        """Count ``tenants``' documents in ``repository`` from now on (the app's own store)."""
        with self._lock:
            self._source = (repository, tuple(sorted(set(tenants))))
            self._reading = None
            if refresh_seconds is not None:
                self._refresh_seconds = refresh_seconds

    def collect(self) -> Iterator[Metric]:
        labels = ["tenant", "document_type"]
        depth = GaugeMetricFamily(
            "docflow_review_queue_documents",
            "Documents waiting for a reviewer (needs_review, undecided)",
            labels=labels,
        )
        age = GaugeMetricFamily(
            "docflow_review_queue_oldest_age_seconds",
            "Time since the longest-waiting document entered review",
            labels=labels,
        )
        reading = self._read()
        for (tenant, kind), since in sorted(reading.waiting.items()) if reading else ():
            depth.add_metric([tenant, kind], len(since))
            age.add_metric([tenant, kind], _seconds_since(min(since)))
        yield from (depth, age)

    def _read(self) -> _Reading | None:
        with self._lock:
            now = time.monotonic()
            if self._reading and now - self._reading.at < self._refresh_seconds:
                return self._reading
            waiting = self._waiting()
            self._reading = None if waiting is None else _Reading(now, waiting)
            return self._reading

    def _waiting(self) -> dict[tuple[str, str], list[datetime]] | None:
        """None when there is nothing to read, or the store could not be read."""
        if self._source is None:
            return None
        repository, tenants = self._source
        found: dict[tuple[str, str], list[datetime]] = {}
        try:
            for tenant in tenants:
                for entry in waiting(repository, tenant)[0]:
                    found.setdefault((tenant, entry.outcome.document_type), []).append(entry.since)
        except Exception as exc:  # a scrape must not fail because the store did
            log.warning("the review queue could not be read", error_class=type(exc).__name__)
            return None
        return found


def _seconds_since(moment: datetime) -> float:
    return max(0.0, (datetime.now(UTC) - moment).total_seconds())


#: Pointed at the app's store by ``create_app``; one app per process.
REVIEW_QUEUE: Final = ReviewQueue()
REGISTRY.register(REVIEW_QUEUE)
