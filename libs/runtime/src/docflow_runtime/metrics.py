"""Prometheus metrics of a stage worker.

Names follow Prometheus conventions with the ``docflow_`` prefix and a unit suffix; labels have
bounded cardinality (stage, outcome, topic, partition, backend), never a document id. One worker
process per pod, so the default registry is enough (no multiprocess mode).
"""

from typing import Final

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

# The *_created series double the scrape size and no dashboard reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

#: Document work takes from milliseconds (a text page) to minutes (OCR, AI backends).
DURATION_BUCKETS: Final = (
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
)  # fmt: skip

PROCESSING_SECONDS: Final = Histogram(
    "docflow_stage_processing_seconds",
    "Time a stage's handler spent on one event, retries included",
    ["stage"],
    buckets=DURATION_BUCKETS,
)
#: How a stage can finish an event (the ``outcome`` label of EVENTS).
OUTCOMES: Final = ("success", "dead_letter")
EVENTS: Final = Counter(
    "docflow_stage_events_total",
    "Events a stage finished, by outcome (success, dead_letter)",
    ["stage", "outcome"],
)
RETRIES: Final = Counter(
    "docflow_stage_retries_total", "Handler attempts that failed and were retried", ["stage"]
)
DELIVERY_FAILURES: Final = Counter(
    "docflow_stage_delivery_failures_total",
    "Output messages the broker did not acknowledge; their events are handled again",
    ["stage"],
)
IN_FLIGHT: Final = Gauge(
    "docflow_stage_in_flight_events", "Events being handled right now", ["stage"]
)
PENDING: Final = Gauge(
    "docflow_stage_pending_events",
    "Events fetched and not yet finished (handled and outputs acknowledged)",
    ["stage"],
)
OLDEST_PENDING_AGE: Final = Gauge(
    "docflow_stage_oldest_pending_age_seconds",
    "Age (since it was produced) of the oldest event this worker holds unfinished",
    ["stage"],
)
CIRCUIT_OPEN: Final = Gauge(
    "docflow_stage_circuit_open",
    "1 while the stage's circuit breaker is open: fetching paused, probing the backend",
    ["stage"],
)
CONSUMER_LAG: Final = Gauge(
    "docflow_consumer_lag_messages",
    "Messages behind the partition end, as the client last reported it",
    ["stage", "topic", "partition"],
)
END_TO_END_SECONDS: Final = Histogram(
    "docflow_document_end_to_end_seconds",
    "Time from upload to the final record",
    buckets=DURATION_BUCKETS,
)
COST_USD: Final = Counter(
    "docflow_backend_cost_usd_total", "What each backend charged for documents", ["backend"]
)
#: From a tenth of a cent (a page of OCR text) to a few dollars (a long contract read by a
#: large model).
DOCUMENT_COST_USD: Final = Histogram(
    "docflow_document_cost_usd",
    "What one document cost, all backends together",
    buckets=(0.0, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


def prepare(stage: str) -> None:
    """Create a stage's series at zero before its first event: a counter born at 1 shows no
    increase to rate() or increase(), so the first dead letter would raise no alert."""
    for outcome in OUTCOMES:
        EVENTS.labels(stage, outcome)
    for family in (RETRIES, DELIVERY_FAILURES, IN_FLIGHT, PENDING, CIRCUIT_OPEN):
        family.labels(stage)
    PROCESSING_SECONDS.labels(stage)
