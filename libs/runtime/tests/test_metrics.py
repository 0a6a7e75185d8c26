"""A stage's series exist at zero before its first event, so a first dead letter is visible."""

from prometheus_client import REGISTRY

from docflow_runtime import metrics


def test_prepare_creates_every_series_of_a_stage_at_zero() -> None:
    stage = "prepared-stage"
    assert (
        REGISTRY.get_sample_value(
            "docflow_stage_events_total", {"stage": stage, "outcome": "dead_letter"}
        )
        is None
    )
    metrics.prepare(stage)
    for outcome in metrics.OUTCOMES:
        labels = {"stage": stage, "outcome": outcome}
        assert REGISTRY.get_sample_value("docflow_stage_events_total", labels) == 0
    for name in (
        "docflow_stage_retries_total",
        "docflow_stage_in_flight_events",
        "docflow_stage_processing_seconds_count",
        "docflow_stage_circuit_open",
    ):
        assert REGISTRY.get_sample_value(name, {"stage": stage}) == 0, name
