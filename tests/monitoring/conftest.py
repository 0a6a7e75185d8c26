"""The chart's monitoring parts: rendered alert rules and dashboards, the queries in them, and
the metrics the services really export.

The alert rules have one source, ``charts/docflow/files/alerts.yaml``, which the chart's
PrometheusRule renders; every test here reads the rules from a render (or from that file) and
the dashboards from ``charts/docflow/dashboards/``.
"""

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import helm_python as helm
import yaml
from prometheus_client import REGISTRY

from docflow_ingest.core import metrics as ingest_metrics
from docflow_reconciler import reconcile
from docflow_runtime import metrics as runtime_metrics

#: Every stage's, store's and tracker's metrics; ingest's; the reconciler's.
_REGISTERING: Final = (runtime_metrics, ingest_metrics, reconcile)

REPOSITORY: Final = Path(__file__).resolve().parents[2]
CHART: Final = REPOSITORY / "charts" / "docflow"
ALERTS_SOURCE: Final = CHART / "files" / "alerts.yaml"
DASHBOARDS: Final = CHART / "dashboards"
RELEASE: Final = "docflow"
NAMESPACE: Final = "docflow"
#: The Deployments of a release, as the chart names them (fullname = release name here).
SERVICES: Final = (
    "enrich", "extract", "ingest", "notify", "reconciler", "store", "tracker", "validate",
)  # fmt: skip

Manifest = dict[str, Any]

REQUIRED: Final[dict[str, Any]] = {
    "kafka": {"bootstrap": "kafka-0.kafka:9092"},
    "secrets": {"existingSecret": "docflow-secrets"},
    "blob": {"url": "s3://docflow-documents/prod"},
}
MONITORING_ON: Final[dict[str, Any]] = {
    **REQUIRED,
    "monitoring": {"prometheusRule": {"enabled": True}, "dashboards": {"enabled": True}},
}
#: Metrics of kube-state-metrics the chart reads (no cluster here: checked by promtool tests).
KSM_METRICS: Final = frozenset(
    {"kube_deployment_spec_replicas", "kube_deployment_status_replicas_available"}
)
_METRIC: Final = re.compile(r"\b(?:docflow|kube)_[a-z0-9_]+\b")
_FUNCTION_OR_LABEL: Final = re.compile(r"[a-z_]+\s*\(|\b[a-z_]+\s*(?:=~|!=|=)")


def render(values: dict[str, Any]) -> list[Manifest]:
    with helm.Chart.load(CHART) as chart:
        files = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    return [
        document
        for name, text in sorted(files.items())
        if not name.endswith("NOTES.txt")
        for document in yaml.safe_load_all(text)
        if document
    ]


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def rule_spec(manifests: list[Manifest]) -> dict[str, Any]:
    (rule,) = of_kind(manifests, "PrometheusRule")
    spec: dict[str, Any] = rule["spec"]
    return spec


def alert_rules(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [rule for group in spec["groups"] for rule in group["rules"]]


@dataclass(frozen=True)
class Query:
    """One target of one dashboard panel."""

    dashboard: str
    panel: str
    legend: str
    expr: str

    def __str__(self) -> str:
        return f"{self.dashboard} / {self.panel} / {self.legend}"


def dashboards() -> dict[str, dict[str, Any]]:
    return {path.name: json.loads(path.read_text()) for path in sorted(DASHBOARDS.glob("*.json"))}


def dashboard_queries() -> list[Query]:
    return [
        Query(board["uid"], panel["title"], target["legendFormat"], target["expr"])
        for board in dashboards().values()
        for panel in board["panels"]
        for target in panel["targets"]
    ]


def grafana_substituted(expr: str, *, rate_interval: str = "1m", stage: str = "extract") -> str:
    """``expr`` as Grafana sends it, with the dashboards' variables chosen."""
    chosen = {
        "$__rate_interval": rate_interval,
        "$namespace": NAMESPACE,
        "$release": RELEASE,
        "$stage": stage,
    }
    for variable, value in chosen.items():
        expr = expr.replace(variable, value)
    return expr


def metric_names(expr: str) -> set[str]:
    """The metric names ``expr`` reads: docflow's and kube-state-metrics' (the only kinds the
    chart's queries may read; ``bare_identifiers`` shows there are no others)."""
    return set(_METRIC.findall(_without_strings(expr)))


def bare_identifiers(expr: str) -> set[str]:
    """Identifiers of ``expr`` that are neither a known metric, a function, a label matcher,
    a grouping label, a keyword nor a duration: a metric of another kind would show here."""
    text = _without_strings(expr)
    text = re.sub(r"\b(?:by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = _FUNCTION_OR_LABEL.sub(" ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    words = set(re.findall(r"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b", text))
    return words - set(_METRIC.findall(text)) - {"and", "or", "unless", "bool", "offset"}


def _without_strings(expr: str) -> str:
    return re.sub(r'"[^"]*"', '""', expr)


def exported_metrics() -> set[str]:
    """Every series name the services' code registers (imported, as each service does)."""
    assert _REGISTERING, "imported: each module registers its metrics as the service does"
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}
    return {
        family.name + suffix
        for family in REGISTRY.collect()
        if family.name.startswith("docflow_")
        for suffix in suffixes[family.type]
    }


def promtool() -> str:
    path = shutil.which("promtool")
    assert path, "promtool is missing: `make install` installs the Debian package prometheus"
    return path


def prometheus_binary() -> str:
    path = shutil.which("prometheus")
    assert path, "prometheus is missing: `make install` installs the Debian package prometheus"
    return path
