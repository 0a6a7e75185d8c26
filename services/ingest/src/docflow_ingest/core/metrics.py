"""Prometheus metrics of the ingest service (``docflow_`` prefix, bounded labels)."""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Final

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from docflow_results.models import DocumentStatus
from docflow_results.repository import MAX_PAGE_LIMIT, Repository
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


class ReviewQueue(Collector):
    """Documents waiting for a reviewer, read from the results store at each scrape: the store
    is the only place that knows, and a scrape every few seconds is cheap next to uploads."""

    def __init__(self, max_pages: int = 10) -> None:
        self._max_pages = max_pages
        self._source: tuple[Repository, tuple[str, ...]] | None = None

    def watch(self, repository: Repository, tenants: Iterable[str]) -> None:
        """Count ``tenants``' documents in ``repository`` from now on (the app's own store)."""
        self._source = (repository, tuple(sorted(set(tenants))))

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "docflow_review_queue_documents", "Documents waiting for a reviewer (needs_review)"
        )
        age = GaugeMetricFamily(
            "docflow_review_queue_oldest_age_seconds",
            "Time since the longest-waiting document entered review (0 when none waits)",
        )
        waiting = self._waiting()
        if waiting is not None:
            depth.add_metric([], len(waiting))
            oldest = min(waiting, default=None)
            age.add_metric([], 0.0 if oldest is None else _seconds_since(oldest))
        yield from (depth, age)

    def _waiting(self) -> list[datetime] | None:
        """When each waiting document last changed; None when there is nothing to read."""
        if self._source is None:
            return None
        repository, tenants = self._source
        try:
            return [at for tenant in tenants for at in self._tenant_waiting(repository, tenant)]
        except Exception as exc:  # a scrape must not fail because the store did
            log.warning("the review queue could not be read", error_class=type(exc).__name__)
            return None

    def _tenant_waiting(self, repository: Repository, tenant: str) -> list[datetime]:
        found: list[datetime] = []
        cursor = None
        for _ in range(self._max_pages):
            page = repository.list_documents(
                tenant, status=DocumentStatus.NEEDS_REVIEW, limit=MAX_PAGE_LIMIT, cursor=cursor
            )
            found += [document.updated_at for document in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        return found


def _seconds_since(moment: datetime) -> float:
    return max(0.0, (datetime.now(UTC) - moment).total_seconds())


#: Pointed at the app's store by ``create_app``; one app per process.
REVIEW_QUEUE: Final = ReviewQueue()
REGISTRY.register(REVIEW_QUEUE)
