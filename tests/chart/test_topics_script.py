"""The topics Job's script (charts/docflow/files/create-topics.sh) with a stand-in for Kafka's
kafka-topics.sh that records how it was called: the client configuration it writes (SASL,
TLS) and the topics it creates with their partitions, replicas and retention."""

import subprocess
from pathlib import Path

import pytest

from docflow_events.topics import all_topics

from .conftest import CHART, VALUE_SETS, Manifest, render

SCRIPT = CHART / "files" / "create-topics.sh"


def _tool(tmp_path: Path, *, broker_answers: bool = True) -> Path:
    tool = tmp_path / "kafka-topics.sh"
    calls = tmp_path / "calls"
    answer = "exit 0" if broker_answers else 'case "$*" in *--list*) exit 1;; esac'
    tool.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n{answer}\n')
    tool.chmod(0o755)
    return tool


def _job_env(manifests: list[Manifest]) -> dict[str, str]:
    (job,) = [m for m in manifests if m["kind"] == "Job" and "-topics-" in m["metadata"]["name"]]
    (container,) = job["spec"]["template"]["spec"]["containers"]
    stand_ins = {"SASL_USERNAME": "docflow", "SASL_PASSWORD": "s3cret"}
    return {e["name"]: e.get("value", stand_ins.get(e["name"], "")) for e in container["env"]}


def _run(env: dict[str, str], tmp_path: Path, tool: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT)],
        env={**env, "PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path), "KAFKA_TOPICS": str(tool)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_job_creates_every_topic_with_the_chart_values(tmp_path: Path) -> None:
    env = _job_env(render(VALUE_SETS["quickstart"]))
    result = _run(env, tmp_path, _tool(tmp_path))
    assert result.returncode == 0, result.stderr
    creates = [c for c in (tmp_path / "calls").read_text().splitlines() if "--create" in c]
    assert sorted(c.split("--topic ")[1].split()[0] for c in creates) == sorted(all_topics())
    for call in creates:
        assert "--if-not-exists" in call
        assert "--partitions 3 --replication-factor 1" in call
        hours = 720 if ".dlq." in call else 168
        assert f"retention.ms={hours * 3_600_000}" in call
    assert (tmp_path / "client.properties").read_text() == "security.protocol=PLAINTEXT\n"


def test_sasl_and_tls_reach_the_client_configuration(tmp_path: Path) -> None:
    env = _job_env(render(VALUE_SETS["sasl-tls"]))
    result = _run(env, tmp_path, _tool(tmp_path))
    assert result.returncode == 0, result.stderr
    config = (tmp_path / "client.properties").read_text().splitlines()
    assert "security.protocol=SASL_SSL" in config
    assert "sasl.mechanism=SCRAM-SHA-512" in config
    assert (
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
        'username="docflow" password="s3cret";'
    ) in config
    assert "ssl.truststore.location=/etc/docflow/kafka/ca.crt" in config
    assert (tmp_path / "client.properties").stat().st_mode & 0o077 == 0
    calls = (tmp_path / "calls").read_text()
    assert "--topic prod.docflow.document.received " in calls
    assert "s3cret" not in result.stdout + result.stderr


@pytest.mark.parametrize("mechanism", ["OAUTHBEARER", "GSSAPI"])
def test_an_unsupported_mechanism_stops_the_job(tmp_path: Path, mechanism: str) -> None:
    env = {**_job_env(render(VALUE_SETS["quickstart"])), "SASL_MECHANISM": mechanism}
    result = _run(env, tmp_path, _tool(tmp_path))
    assert result.returncode == 2
    assert not (tmp_path / "calls").exists()


def test_the_job_gives_up_when_no_broker_answers(tmp_path: Path) -> None:
    env = {**_job_env(render(VALUE_SETS["quickstart"])), "BROKER_ATTEMPTS": "2"}
    result = _run(env, tmp_path, _tool(tmp_path, broker_answers=False))
    assert result.returncode == 1
    assert "no broker answered" in result.stderr
    assert "--create" not in (tmp_path / "calls").read_text()
