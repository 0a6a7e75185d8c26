"""The chart wires each service as its code reads it.

Settings are built by the services' own settings classes from the environment the chart gives
each container, and groups and topics by the runtime's own functions: a KEDA trigger that
watches another group or topic than the worker consumes would scale on the wrong lag.
"""

import os
from typing import Any

import helm_python as helm
import pytest
import yaml
from pydantic_settings import BaseSettings

from docflow_enrich.settings import EnrichSettings
from docflow_events.topics import STAGE_INPUTS, StageName, Topic, all_topics, consumer_group
from docflow_extract.settings import ExtractSettings
from docflow_ingest.settings import IngestSettings
from docflow_notify.settings import NotifySettings
from docflow_notify.webhook_secret import generate_webhook_secret
from docflow_reconciler.settings import ReconcilerSettings
from docflow_runtime.kafka_config import CONSUMER_CONTRACT
from docflow_runtime.settings import HealthSettings, RuntimeSettings, ServiceSettings
from docflow_store.settings import StoreSettings
from docflow_tools.services import SERVICES
from docflow_tracker.settings import TrackerSettings
from docflow_validate.settings import ValidateSettings

from .conftest import CHART, REPOSITORY, VALUE_SETS, Manifest, render

SETTINGS: dict[str, type[ServiceSettings]] = {
    "ingest": IngestSettings,
    "extract": ExtractSettings,
    "validate": ValidateSettings,
    "enrich": EnrichSettings,
    "store": StoreSettings,
    "tracker": TrackerSettings,
    "notify": NotifySettings,
    "reconciler": ReconcilerSettings,
}
#: Variables that are not docflow settings but boto3's own (credentials, default region).
AWS_VARIABLES = {"AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
#: Stand-ins for what the chart takes from Secrets, valid as the settings classes check them.
SECRET_STAND_INS = {
    "DOCFLOW_API_KEYS": "tenant:a-key-for-tests",
    "DOCFLOW_WEBHOOK_SECRET": generate_webhook_secret(),
    "DOCFLOW_STORE_URL": "postgresql://docflow:pw@db:5432/docflow",
    "DOCFLOW_KAFKA_SASL_USERNAME": "docflow",
    "DOCFLOW_KAFKA_SASL_PASSWORD": "a-password",
    "DOCFLOW_ENRICH_OPENAI_API_KEY": "a-key",
    "AWS_ACCESS_KEY_ID": "AKIA",
    "AWS_SECRET_ACCESS_KEY": "secret",
}
TOPOLOGY = yaml.safe_load((CHART / "files" / "topology.yaml").read_text())


def known_variables(settings: type[BaseSettings]) -> set[str]:
    """Every environment variable a settings class reads, nested settings included."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    names = set()
    for field_name, field in settings.model_fields.items():
        names.add(f"{prefix}{field_name}".upper())
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseSettings):
            names |= known_variables(nested)
    return names


def _deployments(manifests: list[Manifest]) -> dict[str, Manifest]:
    return {
        d["metadata"]["labels"]["app.kubernetes.io/component"]: d
        for d in manifests
        if d["kind"] == "Deployment"
    }


def _container(deployment: Manifest) -> Manifest:
    containers: list[Manifest] = deployment["spec"]["template"]["spec"]["containers"]
    (container,) = containers
    return container


def settings_from(
    service: str, container: Manifest, monkeypatch: pytest.MonkeyPatch
) -> ServiceSettings:
    """The service's settings, read by its own class from the container's environment."""
    for name in [n for n in os.environ if n.startswith(("DOCFLOW_", "AWS_"))]:
        monkeypatch.delenv(name)
    for entry in container["env"]:
        if "valueFrom" in entry:
            assert "secretKeyRef" in entry["valueFrom"], entry["name"]
            monkeypatch.setenv(entry["name"], SECRET_STAND_INS[entry["name"]])
        else:
            monkeypatch.setenv(entry["name"], entry["value"])
    return SETTINGS[service]()


def test_the_chart_topology_is_the_code_topology() -> None:
    stages = {stage.value: [str(t) for t in STAGE_INPUTS[stage]] for stage in StageName}
    assert TOPOLOGY["stages"] == stages
    assert TOPOLOGY["flowTopics"] == [str(t) for t in Topic]
    assert all(consumer_group(s) == TOPOLOGY["consumerGroupPrefix"] + s for s in stages)
    dead_letters = [TOPOLOGY["deadLetterPrefix"] + s for s in sorted(stages)]
    assert sorted(TOPOLOGY["flowTopics"] + dead_letters) == sorted(all_topics())
    assert TOPOLOGY["offsetResetPolicy"] == CONSUMER_CONTRACT["auto.offset.reset"]
    assert set(TOPOLOGY["services"]) == {s.name for s in SERVICES} == set(SETTINGS)


def test_the_image_build_covers_every_service() -> None:
    makefile = (REPOSITORY / "Makefile").read_text()
    (line,) = [line for line in makefile.splitlines() if line.startswith("IMAGE_SERVICES :=")]
    assert line.split(":=")[1].split() == [s.name for s in SERVICES]


def test_every_variable_is_a_setting_its_service_reads(
    manifests: list[Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    deployments = _deployments(manifests)
    assert set(deployments) == set(SETTINGS)
    for service, deployment in deployments.items():
        container = _container(deployment)
        names = [entry["name"] for entry in container["env"]]
        assert len(names) == len(set(names)), service
        docflow = {n for n in names if n.startswith("DOCFLOW_")}
        assert docflow - known_variables(SETTINGS[service]) == set(), service
        assert set(names) - docflow <= AWS_VARIABLES, service
        settings_from(service, container, monkeypatch)  # the service would start with it


def test_the_settings_check_catches_a_variable_a_service_does_not_read() -> None:
    assert "DOCFLOW_WEBHOOK_SECRET" in known_variables(NotifySettings)
    assert "DOCFLOW_WEBHOOK_SECRET" not in known_variables(StoreSettings)
    assert "DOCFLOW_KAFKA_SASL_PASSWORD" in known_variables(StoreSettings)


def test_secrets_come_from_secrets(manifests: list[Manifest]) -> None:
    secret_settings = {
        "DOCFLOW_API_KEYS",
        "DOCFLOW_WEBHOOK_SECRET",
        "DOCFLOW_KAFKA_SASL_PASSWORD",
        "DOCFLOW_ENRICH_OPENAI_API_KEY",
        "AWS_SECRET_ACCESS_KEY",
    }
    for deployment in _deployments(manifests).values():
        for entry in _container(deployment)["env"]:
            if entry["name"] in secret_settings or (
                entry["name"] == "DOCFLOW_STORE_URL"
                and entry.get("value", "").startswith("postgres")
            ):
                assert "secretKeyRef" in entry.get("valueFrom", {}), entry["name"]


def test_each_scaled_object_watches_what_its_worker_consumes(
    value_set: str, manifests: list[Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    scaled = {
        s["spec"]["scaleTargetRef"]["name"]: s for s in manifests if s["kind"] == "ScaledObject"
    }
    keda = _merged_values(value_set)["keda"]["enabled"]
    assert bool(scaled) == keda
    for service, deployment in _deployments(manifests).items():
        scaled_object = scaled.pop(deployment["metadata"]["name"], None)
        if service not in STAGE_INPUTS:
            assert scaled_object is None, service
            continue
        assert (scaled_object is not None) == keda, service
        if scaled_object is None:
            continue
        settings = settings_from(service, _container(deployment), monkeypatch)
        stage = StageName(service)
        triggers = scaled_object["spec"]["triggers"]
        group = settings.topic_prefix + consumer_group(stage)
        assert {t["metadata"]["consumerGroup"] for t in triggers} == {group}
        assert [t["metadata"]["topic"] for t in triggers] == [
            settings.topic(t) for t in STAGE_INPUTS[stage]
        ]
        for trigger in triggers:
            metadata = trigger["metadata"]
            assert trigger["type"] == "kafka"
            assert metadata["bootstrapServers"] == settings.kafka.bootstrap
            assert metadata["offsetResetPolicy"] == CONSUMER_CONTRACT["auto.offset.reset"]
            authenticated = settings.kafka.security_protocol != "PLAINTEXT"
            assert ("authenticationRef" in trigger) == authenticated
    assert scaled == {}


def test_no_stage_can_scale_beyond_its_topics_partitions(
    value_set: str, manifests: list[Manifest]
) -> None:
    values = _merged_values(value_set)
    partitions = values["topics"]["partitions"]
    for scaled_object in (m for m in manifests if m["kind"] == "ScaledObject"):
        assert scaled_object["spec"]["maxReplicaCount"] <= partitions
    for topic in (m for m in manifests if m["kind"] == "KafkaTopic"):
        assert topic["spec"]["partitions"] == partitions


def test_trigger_authentication_reads_the_workers_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    manifests = render(VALUE_SETS["sasl-tls"])
    (auth,) = [m for m in manifests if m["kind"] == "TriggerAuthentication"]
    refs = {r["parameter"]: (r["name"], r["key"]) for r in auth["spec"]["secretTargetRef"]}
    (modes,) = [
        m
        for m in manifests
        if m["kind"] == "ConfigMap"
        and m["metadata"]["name"] == auth["spec"]["configMapTargetRef"][0]["name"]
    ]
    assert modes["data"] == {"sasl": "scram_sha512", "tls": "enable"}
    for service, deployment in _deployments(manifests).items():
        env = {e["name"]: e for e in _container(deployment)["env"]}
        for parameter, variable in (
            ("username", "DOCFLOW_KAFKA_SASL_USERNAME"),
            ("password", "DOCFLOW_KAFKA_SASL_PASSWORD"),
        ):
            ref = env[variable]["valueFrom"]["secretKeyRef"]
            assert refs[parameter] == (ref["name"], ref["key"]), service
        volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
        ca = volumes["kafka-ca"]["secret"]
        assert refs["ca"] == (ca["secretName"], ca["items"][0]["key"])
        settings = settings_from(service, _container(deployment), monkeypatch)
        assert settings.kafka.sasl_mechanism == "SCRAM-SHA-512"
        assert settings.kafka.ssl_ca_location == "/etc/docflow/kafka/" + ca["items"][0]["path"]


def test_pods_outlive_their_shutdown_timeout_and_probe_the_runtime(
    manifests: list[Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    for service, deployment in _deployments(manifests).items():
        container = _container(deployment)
        settings = settings_from(service, container, monkeypatch)
        grace = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        if isinstance(settings, RuntimeSettings):
            assert grace > settings.shutdown_timeout_seconds, service
        if isinstance(settings, IngestSettings):
            port = settings.ingest_port
        else:
            assert isinstance(settings, HealthSettings), service
            port = settings.health_port
        (declared,) = container["ports"]
        assert declared["containerPort"] == port, service
        for probe, path in (
            ("livenessProbe", "/healthz"),
            ("readinessProbe", "/readyz"),
            ("startupProbe", "/healthz"),
        ):
            http = container[probe]["httpGet"]
            assert (http["path"], http["port"]) == (path, declared["name"]), service


def _merged_values(name: str) -> dict[str, Any]:
    with helm.Chart.load(CHART) as chart:
        return chart.merge_values(VALUE_SETS[name])
