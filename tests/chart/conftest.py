"""Render the Helm chart (charts/docflow) offline with the Helm SDK, for several value sets.

Every test here works on what `helm install` would send to the cluster; no cluster is needed.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import helm_python as helm
import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[2]
CHART = REPOSITORY / "charts" / "docflow"
RELEASE = "docflow"
NAMESPACE = "docflow"

Manifest = dict[str, Any]

#: Values a production install must give (the defaults leave them empty on purpose).
_REQUIRED: dict[str, Any] = {
    "kafka": {"bootstrap": "kafka-0.kafka:9092,kafka-1.kafka:9092"},
    "secrets": {"existingSecret": "docflow-secrets"},
    "blob": {"url": "s3://docflow-documents/prod"},
}

VALUE_SETS: dict[str, dict[str, Any]] = {
    "defaults": _REQUIRED,
    "quickstart": yaml.safe_load((CHART / "values-quickstart.yaml").read_text()),
    "aws": {
        **_REQUIRED,
        "aws": {"region": "eu-west-1"},
        "blob": {
            "url": "s3://docflow-documents/prod",
            "s3": {"sse": "aws:kms", "kmsKeyId": "alias/docflow"},
        },
        "extract": {
            "backend": "textract",
            "textract": {"region": "eu-west-1", "stagingBucket": "docflow-staging"},
        },
        "enrich": {"backend": "bedrock", "bedrock": {"region": "eu-west-1"}},
        "prices": {"textract/forms_pages": 0.05},
        "serviceAccount": {
            "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/docflow"}
        },
        "topics": {
            "partitions": 12,
            "replicas": 3,
            "strimzi": {"enabled": True, "cluster": "main"},
        },
        "services": {"extract": {"scaling": {"maxReplicaCount": 12}}},
        "ingest": {
            "ingress": {"enabled": True, "className": "alb", "tlsSecretName": "docflow-tls"}
        },
        "monitoring": {
            "serviceMonitor": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}},
            "prometheusRule": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}},
            "dashboards": {"enabled": True},
        },
    },
    "sasl-tls": {
        **_REQUIRED,
        "topicPrefix": "prod.",
        "kafka": {
            "bootstrap": "b-1.msk.example.com:9096",
            "securityProtocol": "SASL_SSL",
            "saslMechanism": "SCRAM-SHA-512",
            "auth": {"existingSecret": "kafka-credentials", "caKey": "ca.crt"},
            "properties": {"client.rack": "euw1-az1"},
        },
        "topics": {"job": {"enabled": True}},
        "enrich": {
            "backend": "openai",
            "openai": {
                "baseUrl": "http://vllm.models:8000/v1",
                "model": "qwen3",
                "apiKeyFromSecret": True,
            },
        },
    },
    "tight-security": {
        **_REQUIRED,
        "keda": {"enabled": False},
        "ingest": {"autoscaling": {"enabled": False}},
        "image": {
            "pullSecrets": [{"name": "registry"}],
            "digests": {"extract": "sha256:" + "a" * 64},
        },
        "networkPolicy": {
            "ingressFromNamespaces": ["ingress-nginx"],
            "metricsFromNamespaces": ["monitoring"],
        },
        "tmpSizeLimit": "256Mi",
        "services": {"validate": {"replicas": 3, "env": {"DOCFLOW_MAX_IN_FLIGHT": "4"}}},
    },
}


def render(values: dict[str, Any]) -> list[Manifest]:
    """Every object the chart renders for ``values`` (tests and hooks included)."""
    with helm.Chart.load(CHART) as chart:
        files = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    return [
        document
        for name, text in sorted(files.items())
        if not name.endswith("NOTES.txt")
        for document in yaml.safe_load_all(text)
        if document
    ]


@pytest.fixture(scope="session")
def render_chart() -> Callable[[dict[str, Any]], list[Manifest]]:
    return render


@pytest.fixture(scope="session", params=sorted(VALUE_SETS))
def value_set(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def manifests(value_set: str) -> list[Manifest]:
    return render(VALUE_SETS[value_set])
