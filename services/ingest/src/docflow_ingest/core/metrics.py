"""Prometheus metrics of the ingest service (``docflow_`` prefix, bounded labels)."""

from typing import Final

from prometheus_client import Counter, Histogram

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
