"""Every alert and dashboard query parses, reads only metrics the services export (or
kube-state-metrics' replica counts), and does what it says under promtool's unit tests."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import (
    KSM_METRICS,
    MONITORING_ON,
    Query,
    alert_rules,
    bare_identifiers,
    dashboard_queries,
    exported_metrics,
    grafana_substituted,
    metric_names,
    promtool,
    render,
    rule_spec,
)

UNIT_TESTS = Path(__file__).parent / "alerts_test.yaml"
#: The only panels and alert that read kube-state-metrics (there is no cluster here).
KSM_PANELS = {"Replicas per stage (kube-state-metrics)", "Replicas (kube-state-metrics)"}
KSM_ALERTS = {"DocflowStageNoReadyReplica"}


@pytest.fixture(scope="module")
def rules() -> dict[str, Any]:
    return rule_spec(render(MONITORING_ON))


def _promtool(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [promtool(), *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_rendered_rules_pass_promtool_check(rules: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    assert "SUCCESS: 7 rules found" in _promtool("check", "rules", "rules.yaml", cwd=tmp_path)


def test_every_alert_fires_when_provoked_and_only_then(
    rules: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    shutil.copy(UNIT_TESTS, tmp_path)
    tested = yaml.safe_load(UNIT_TESTS.read_text())["tests"]
    alerts = {case["alertname"] for test in tested for case in test["alert_rule_test"]}
    assert alerts == {rule["alert"] for rule in alert_rules(rules)}
    for test in tested:
        outcomes = [bool(case["exp_alerts"]) for case in test["alert_rule_test"]]
        assert outcomes in ([False, True], [False]), test["alert_rule_test"]
    assert "SUCCESS" in _promtool("test", "rules", UNIT_TESTS.name, cwd=tmp_path)


def test_a_broken_expectation_fails_promtool(rules: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    broken = UNIT_TESTS.read_text().replace("stage: enrich}", "stage: store}")
    (tmp_path / "broken_test.yaml").write_text(broken)
    done = subprocess.run(
        [promtool(), "test", "rules", "broken_test.yaml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0


def test_every_dashboard_query_parses(tmp_path: Path) -> None:
    queries = dashboard_queries()
    recorded = [
        {"record": f"docflow_dashboard_query_{i}", "expr": grafana_substituted(q.expr)}
        for i, q in enumerate(queries)
    ]
    (tmp_path / "queries.yaml").write_text(
        yaml.safe_dump({"groups": [{"name": "dashboards", "rules": recorded}]})
    )
    out = _promtool("check", "rules", "queries.yaml", cwd=tmp_path)
    assert f"SUCCESS: {len(queries)} rules found" in out


def test_queries_and_alerts_read_only_exported_metrics(rules: dict[str, Any]) -> None:
    exported = exported_metrics()
    assert "docflow_stage_events_total" in exported
    assert "docflow_review_queue_documents" in exported
    expressions = {str(q): q.expr for q in dashboard_queries()}
    expressions |= {rule["alert"]: rule["expr"] for rule in alert_rules(rules)}
    for where, expr in expressions.items():
        names = metric_names(expr)
        assert names, where
        assert names - exported <= KSM_METRICS, (where, names - exported)
        assert bare_identifiers(expr) == set(), (where, bare_identifiers(expr))


def test_the_name_check_catches_a_metric_no_service_exports() -> None:
    assert metric_names('sum(rate(docflow_stage_event_total{stage="x"}[5m]))') == {
        "docflow_stage_event_total"
    }
    assert "docflow_stage_event_total" not in exported_metrics()
    assert bare_identifiers("sum by (stage) (rate(http_requests_total[5m]))") == {
        "http_requests_total"
    }


def test_only_the_replica_panels_and_alert_read_kube_state_metrics(
    rules: dict[str, Any],
) -> None:
    panels = {q.panel for q in dashboard_queries() if metric_names(q.expr) & KSM_METRICS}
    alerts = {r["alert"] for r in alert_rules(rules) if metric_names(r["expr"]) & KSM_METRICS}
    assert (panels, alerts) == (KSM_PANELS, KSM_ALERTS)


def _ksm_series() -> list[dict[str, str]]:
    """Deployments as kube-state-metrics reports them: extract scaled out to 3 with 2 ready."""
    wanted = {"extract": (3, 2), "ingest": (2, 2), "reconciler": (1, 1)}
    series = []
    for name, (spec, available) in wanted.items():
        for metric, value in (("spec_replicas", spec), ("status_replicas_available", available)):
            labels = f'namespace="docflow", deployment="docflow-{name}"'
            series.append(
                {"series": f"kube_deployment_{metric}{{{labels}}}", "values": f"{value}x5"}
            )
    # Not this release's: another namespace, another Deployment.
    foreign = [
        ("spec_replicas", 'namespace="other", deployment="docflow-extract"', 9),
        ("status_replicas_available", 'namespace="other", deployment="docflow-extract"', 9),
        ("spec_replicas", 'namespace="docflow", deployment="web"', 7),
    ]
    series += [
        {"series": f"kube_deployment_{metric}{{{labels}}}", "values": f"{value}x5"}
        for metric, labels, value in foreign
    ]
    return series


def _expected(query: Query) -> list[dict[str, Any]]:
    available = "available" in query.legend
    if query.panel == "Replicas (kube-state-metrics)":  # the drill-down, for extract
        return [{"labels": "{}", "value": 2 if available else 3}]
    counts = {"extract": (3, 2), "ingest": (2, 2), "reconciler": (1, 1)}
    return [
        {
            "labels": f'{{deployment="docflow-{name}", stage="{name}"}}',
            "value": spec_available[1] if available else spec_available[0],
        }
        for name, spec_available in counts.items()
    ]


def test_the_replica_panels_count_the_release_deployments(tmp_path: Path) -> None:
    queries = [q for q in dashboard_queries() if metric_names(q.expr) & KSM_METRICS]
    assert len(queries) == 4
    tests = [
        {
            "interval": "1m",
            "input_series": _ksm_series(),
            "promql_expr_test": [
                {
                    "expr": grafana_substituted(q.expr),
                    "eval_time": "2m",
                    "exp_samples": _expected(q),
                }
                for q in queries
            ],
        }
    ]
    (tmp_path / "panels_test.yaml").write_text(yaml.safe_dump({"tests": tests}))
    assert "SUCCESS" in _promtool("test", "rules", "panels_test.yaml", cwd=tmp_path)
