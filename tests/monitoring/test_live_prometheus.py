"""A real Prometheus (the Debian package's binary) scrapes a running local pipeline every
second while documents flow. Every dashboard query and every alert expression, kube-state-
metrics' aside (no cluster here; test_rules.py checks those with promtool), returns data from
it, and the dead-letter alert fires when a hostile document fails for good."""

import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest
import yaml

from docflow_testing import hostile
from docflow_testing.tansu import free_port
from docflow_tools.stack import Stack, local_stack

from .conftest import (
    ALERTS_SOURCE,
    KSM_METRICS,
    MONITORING_ON,
    NAMESPACE,
    RELEASE,
    SERVICES,
    dashboard_queries,
    grafana_substituted,
    metric_names,
    prometheus_binary,
    render,
    rule_spec,
)

pytestmark = pytest.mark.slow

API_KEY: Final = "monitoring-key"
ENV: Final = {
    # A document failing for good fails within a second; the reconciler passes every second.
    "DOCFLOW_RETRY_INITIAL_BACKOFF_SECONDS": "0.1",
    "DOCFLOW_RETRY_MAX_ATTEMPTS": "2",
    "DOCFLOW_RECONCILE_INTERVAL_SECONDS": "1",
}
#: Thresholds every healthy pipeline crosses, so that each alert expression returns its series.
PROVOKING: Final = {
    "consumerLagMessages": "-1", "lagGrowthPerSecond": "-1", "lagGrowthWindow": "2m",
    "consumerLagFor": "0s", "oldestWaitingSeconds": "-1", "deadLetterWindow": "2m",
    "errorRatio": "-1",
    "errorRatioWindow": "2m", "noReadyReplicaFor": "0s", "reviewQueueAgeSeconds": "-1",
    "costPerDocumentUsd": "-1", "costWindow": "2m",
    "namespace": NAMESPACE, "fullname": RELEASE, "services": "|".join(SERVICES),
}  # fmt: skip
WAIT_SECONDS: Final = 30.0


class Prometheus:
    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=10)

    def query(self, expr: str) -> list[dict[str, Any]]:
        answer = self.client.get("/api/v1/query", params={"query": expr}).json()
        assert answer["status"] == "success", (expr, answer)
        result: list[dict[str, Any]] = answer["data"]["result"]
        return result

    def targets(self) -> list[tuple[str, str, str]]:
        """Each scrape target's job, health and last error."""
        active = self.client.get("/api/v1/targets").json()["data"]["activeTargets"]
        return [(t["labels"]["job"], t["health"], t["lastError"]) for t in active]

    def firing(self) -> set[tuple[str, str]]:
        alerts = self.client.get("/api/v1/alerts").json()["data"]["alerts"]
        return {
            (a["labels"]["alertname"], a["labels"].get("stage", ""))
            for a in alerts
            if a["state"] == "firing"
        }


def _eventually(check: Callable[[], bool], seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return check()


@pytest.fixture(scope="module")
def stack(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("monitored-stack")
    with local_stack(kafka_bootstrap, root, {"monitoring": API_KEY}, ENV) as running:
        yield running


def _config(stack: Stack, rules: Path) -> dict[str, Any]:
    """Scrape every service as its ServiceMonitor would, with the labels Kubernetes adds."""
    jobs = [
        {
            "job_name": name,
            "static_configs": [
                {
                    "targets": [target],
                    "labels": {
                        "namespace": NAMESPACE,
                        "service": f"{RELEASE}-{name}",
                        "pod": f"{RELEASE}-{name}-0",
                    },
                }
            ],
        }
        for name, target in sorted(stack.metrics_targets.items())
    ]
    return {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(rules)],
        "scrape_configs": jobs,
    }


@pytest.fixture(scope="module")
def prometheus(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    directory = tmp_path_factory.mktemp("prometheus")
    rules = directory / "rules.yaml"
    rules.write_text(yaml.safe_dump(rule_spec(render(MONITORING_ON))))
    config = directory / "prometheus.yml"
    config.write_text(yaml.safe_dump(_config(stack, rules)))
    port = free_port()
    log = (directory / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            prometheus_binary(), f"--config.file={config}",
            f"--storage.tsdb.path={directory / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        server = Prometheus(f"http://127.0.0.1:{port}")
        assert _eventually(lambda: _ready(server)), (directory / "prometheus.log").read_text()
        yield server
        server.client.close()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _ready(server: Prometheus) -> bool:
    try:
        return server.client.get("/-/ready").status_code == 200
    except httpx.TransportError:
        return False


def test_every_service_is_scraped(prometheus: Prometheus, stack: Stack) -> None:
    def all_up() -> bool:
        up = prometheus.query("up == 1")
        return {s["metric"]["job"] for s in up} == set(stack.metrics_targets)

    assert set(stack.metrics_targets) == set(SERVICES)
    assert _eventually(all_up), prometheus.targets()


def test_a_dead_letter_fires_its_alert(prometheus: Prometheus, stack: Stack) -> None:
    dead_letters = 'docflow_stage_events_total{stage="extract", outcome="dead_letter"}'
    # The series is scraped at zero before the failure, so increase() sees the first one.
    assert _eventually(lambda: bool(prometheus.query(f"{dead_letters} == 0")))
    assert prometheus.firing() == set()
    response = stack.post("locked.pdf", hostile.encrypted_pdf(b"secret"))
    assert response.status_code == 202, response.text
    document = stack.settle(response.json()["id"], timeout=60)
    assert document["status"] == "failed", document
    assert _eventually(lambda: ("DocflowDeadLetters", "extract") in prometheus.firing())
    assert prometheus.firing() == {("DocflowDeadLetters", "extract")}


def _submit(stack: Stack, name: str, text: str, **form: str) -> str:
    response = stack.post(name, text.encode(), form)
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def _flow(stack: Stack) -> None:
    """Documents that end stored, and one that waits for a reviewer (an invoice without a
    total, posted as an invoice)."""
    ids = [
        _submit(stack, f"memo-{n}.txt", f"Memo {n}\nThe meeting moves to room {n}.\n")
        for n in range(3)
    ]
    invoice = "INVOICE\nInvoice number: INV-7\nDate: 2024-03-01\nFrom: Acme Ltd\n"
    ids.append(_submit(stack, "invoice.txt", invoice, document_type="invoice"))
    statuses = [stack.settle(i, timeout=60)["status"] for i in ids]
    assert statuses == ["stored", "stored", "stored", "needs_review"], statuses


def _without_ksm(expr: str) -> bool:
    return not metric_names(expr) & KSM_METRICS


def _provoked(expr: str) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: PROVOKING[m.group(1)], expr)


def test_every_query_and_alert_returns_data(prometheus: Prometheus, stack: Stack) -> None:
    _flow(stack)
    queries = {
        str(q): grafana_substituted(q.expr, rate_interval="2m")
        for q in dashboard_queries()
        if _without_ksm(q.expr)
    }
    source = yaml.safe_load(ALERTS_SOURCE.read_text())
    alerts = {
        rule["alert"]: _provoked(rule["expr"])
        for group in source["groups"]
        for rule in group["rules"]
        if _without_ksm(rule["expr"])
    }
    assert len(alerts) == 6
    expressions = queries | alerts
    empty = set(expressions)
    deadline = time.monotonic() + WAIT_SECONDS
    while empty and time.monotonic() < deadline:
        empty = {where for where in empty if not prometheus.query(expressions[where])}
        time.sleep(0.5)
    assert empty == set(), {where: expressions[where] for where in empty}
