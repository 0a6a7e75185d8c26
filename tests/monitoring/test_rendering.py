"""The PrometheusRule and the dashboard ConfigMaps render, in shape, only when asked for."""

import json
from typing import Any

import helm_python as helm
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from .conftest import (
    ALERTS_SOURCE,
    CHART,
    DASHBOARDS,
    MONITORING_ON,
    REQUIRED,
    alert_rules,
    dashboards,
    of_kind,
    render,
    rule_spec,
)

ALERTS = {
    "DocflowConsumerLagGrowing", "DocflowOldestWaitingTooOld", "DocflowDeadLetters",
    "DocflowErrorRatioHigh", "DocflowStageNoReadyReplica", "DocflowReviewQueueTooOld",
    "DocflowCostPerDocumentHigh",
}  # fmt: skip


def _with_monitoring(monitoring: dict[str, Any]) -> dict[str, Any]:
    return {**REQUIRED, "monitoring": monitoring}


def test_nothing_of_it_renders_by_default() -> None:
    manifests = render(REQUIRED)
    assert not of_kind(manifests, "PrometheusRule")
    assert not [
        c for c in of_kind(manifests, "ConfigMap") if "-dashboard-" in c["metadata"]["name"]
    ]


def test_the_prometheus_rule_has_every_alert_in_shape() -> None:
    manifests = render(
        _with_monitoring({"prometheusRule": {"enabled": True, "labels": {"release": "kps"}}})
    )
    (rule,) = of_kind(manifests, "PrometheusRule")
    assert rule["apiVersion"] == "monitoring.coreos.com/v1"
    assert rule["metadata"]["namespace"] == "docflow"
    assert rule["metadata"]["labels"]["release"] == "kps"
    assert set(rule["spec"]) == {"groups"}
    rules = alert_rules(rule["spec"])
    assert {r["alert"] for r in rules} == ALERTS
    for alert in rules:
        assert set(alert) <= {"alert", "expr", "for", "labels", "annotations"}, alert["alert"]
        assert alert["labels"]["severity"] in {"critical", "warning", "info"}
        assert {"summary", "description"} <= set(alert["annotations"])
        assert "${" not in alert["expr"] + json.dumps(alert["annotations"]), alert["alert"]
        assert 'namespace="docflow"' in alert["expr"], alert["alert"]


def test_thresholds_come_from_values() -> None:
    thresholds = {
        "consumerLagMessages": 12345,
        "costPerDocumentUsd": 0.07,
        "noReadyReplicaFor": "9m",
    }
    rules = {
        r["alert"]: r
        for r in alert_rules(
            rule_spec(
                render(
                    _with_monitoring(
                        {"prometheusRule": {"enabled": True, "thresholds": thresholds}}
                    )
                )
            )
        )
    }
    assert "> 12345" in rules["DocflowConsumerLagGrowing"]["expr"]
    assert "> 0.07" in rules["DocflowCostPerDocumentHigh"]["expr"]
    assert rules["DocflowStageNoReadyReplica"]["for"] == "9m"
    defaults = {r["alert"]: r for r in alert_rules(rule_spec(render(MONITORING_ON)))}
    assert "> 1000" in defaults["DocflowConsumerLagGrowing"]["expr"]


def test_the_replica_alert_names_the_release_deployments() -> None:
    values = {
        **MONITORING_ON,
        "fullnameOverride": "docs",
        "services": {"notify": {"enabled": False}},
    }
    (replicas,) = [
        r
        for r in alert_rules(rule_spec(render(values)))
        if r["alert"] == "DocflowStageNoReadyReplica"
    ]
    assert (
        'deployment=~"docs-(enrich|extract|ingest|reconciler|store|tracker|validate)"'
        in (replicas["expr"])
    )


def test_a_placeholder_without_a_value_is_refused() -> None:
    source = yaml.safe_load(ALERTS_SOURCE.read_text())
    assert source["groups"], "the rules file has groups"
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmValuesError):
        chart.validate_schema(
            _with_monitoring({"prometheusRule": {"enabled": True, "thresholds": {"errorRatio": 2}}})
        )


def test_dashboards_ship_as_configmaps_for_the_grafana_sidecar() -> None:
    maps = [
        c
        for c in of_kind(render(MONITORING_ON), "ConfigMap")
        if "-dashboard-" in c["metadata"]["name"]
    ]
    shipped = {key: value for m in maps for key, value in m["data"].items()}
    assert set(shipped) == {path.name for path in DASHBOARDS.glob("*.json")} == {
        "docflow-overview.json", "docflow-stage.json",
    }  # fmt: skip
    for name, text in shipped.items():
        assert json.loads(text) == json.loads((DASHBOARDS / name).read_text())
    for config_map in maps:
        assert config_map["metadata"]["labels"]["grafana_dashboard"] == "1"
        for version in ("1.30", "1.33"):
            kubernetes_validate.validate(config_map, version, strict=True)


def test_the_sidecar_label_and_annotations_can_be_changed() -> None:
    labels = {"grafana_dashboard": "docflow", "team": "docs"}
    annotations = {"grafana_folder": "docflow"}
    monitoring = {"dashboards": {"enabled": True, "labels": labels, "annotations": annotations}}
    maps = [
        c
        for c in of_kind(render(_with_monitoring(monitoring)), "ConfigMap")
        if "-dashboard-" in c["metadata"]["name"]
    ]
    assert len(maps) == 2
    for config_map in maps:
        assert config_map["metadata"]["labels"]["team"] == "docs"
        assert config_map["metadata"]["labels"]["grafana_dashboard"] == "docflow"
        assert config_map["metadata"]["annotations"] == {"grafana_folder": "docflow"}


@pytest.mark.parametrize("name", sorted(dashboards()))
def test_each_dashboard_is_grafana_json(name: str) -> None:
    board = dashboards()[name]
    assert isinstance(board["schemaVersion"], int)
    assert board["schemaVersion"] >= 36
    assert board["uid"]
    assert len(board["uid"]) <= 40
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert set(panel["gridPos"]) == {"x", "y", "w", "h"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}"
            assert target["expr"].strip()
            assert 'namespace=~"$namespace"' in target["expr"], panel["title"]
    uids = [board["uid"] for board in dashboards().values()]
    assert len(uids) == len(set(uids))


def test_the_overview_shows_what_the_issue_asks_for() -> None:
    board = dashboards()["docflow-overview.json"]
    exprs = {
        panel["title"]: " ".join(t["expr"] for t in panel["targets"]) for panel in board["panels"]
    }
    wanted = {
        "Documents per second, per stage": "docflow_stage_events_total",
        "Processing latency per stage (p50, p95, p99)": "docflow_stage_processing_seconds_bucket",
        "End-to-end latency, upload to stored (p50, p95, p99)": (
            "docflow_document_end_to_end_seconds"
        ),
        "Dead letters per second, per stage": 'outcome="dead_letter"',
        "Error ratio per stage (failed attempts)": "docflow_stage_retries_total",
        "Consumer lag per stage": "docflow_consumer_lag_messages",
        "Oldest waiting event per stage": "docflow_stage_oldest_pending_age_seconds",
        "Replicas per stage (kube-state-metrics)": "kube_deployment_status_replicas_available",
        "In-flight work per stage": "docflow_stage_in_flight_events",
        "Review queue": "docflow_review_queue_documents",
        "Longest wait for review": "docflow_review_queue_oldest_age_seconds",
        "Cost per document": "docflow_document_cost_usd_sum",
    }
    for title, metric in wanted.items():
        assert metric in exprs[title], title
    quantiles = [
        t["expr"] for p in board["panels"] if "latency" in p["title"] for t in p["targets"]
    ]
    assert sum("histogram_quantile(0.99" in q for q in quantiles) == 2


def test_the_stage_drill_down_is_about_one_stage() -> None:
    board = dashboards()["docflow-stage.json"]
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert "docflow_stage_events_total" in variables["stage"]["definition"]
    for panel in board["panels"]:
        for target in panel["targets"]:
            assert 'stage="$stage"' in target["expr"] or '"$release-$stage"' in target["expr"], (
                panel["title"]
            )
