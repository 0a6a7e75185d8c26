"""librdkafka configuration: user properties pass through, the at-least-once contract stays."""

import os

import pytest
from pydantic import SecretStr

from docflow_runtime.kafka_config import (
    DEV_PROFILE,
    PRODUCTION_PROFILE,
    client_config,
    consumer_config,
    masked,
    producer_config,
)
from docflow_runtime.settings import KafkaSettings


@pytest.fixture(autouse=True)
def _no_docflow_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """KafkaSettings reads DOCFLOW_KAFKA_*; the tests must not see the caller's environment."""
    for name in list(os.environ):
        if name.upper().startswith("DOCFLOW_"):
            monkeypatch.delenv(name)


def sasl_settings(**overrides: object) -> KafkaSettings:
    values: dict[str, object] = {
        "bootstrap": "kafka-1:9093,kafka-2:9093",
        "profile": "production",
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_username": "docflow",
        "sasl_password": SecretStr("s3cr3t-value"),
        "ssl_ca_location": "/etc/kafka/ca.pem",
    }
    values.update(overrides)
    return KafkaSettings.model_validate(values)


HOSTILE_PROPERTIES = {
    "enable.idempotence": "false",
    "acks": "1",
    "auto.offset.reset": "latest",
    "enable.auto.offset.store": "true",
    "enable.auto.commit": "false",
    "partition.assignment.strategy": "range",
    "group.id": "someone-else",
}


def test_producer_is_idempotent_and_waits_for_all_replicas() -> None:
    config = producer_config(KafkaSettings(), "docflow-extract")
    assert config["enable.idempotence"] == "true"
    assert config["acks"] == "all"
    assert config["bootstrap.servers"] == "127.0.0.1:9092"
    assert config["client.id"] == "docflow-extract"


def test_producer_contract_wins_over_user_properties() -> None:
    kafka = KafkaSettings(properties=HOSTILE_PROPERTIES)
    config = producer_config(kafka, "docflow-extract")
    assert config["enable.idempotence"] == "true"
    assert config["acks"] == "all"


def test_producer_has_no_consumer_properties() -> None:
    config = producer_config(KafkaSettings(), "docflow-extract")
    assert "group.id" not in config
    assert "auto.offset.reset" not in config


def test_consumer_keeps_the_at_least_once_contract() -> None:
    config = consumer_config(KafkaSettings(), "docflow-extract", "docflow-extract")
    assert config["auto.offset.reset"] == "earliest"
    assert config["enable.auto.offset.store"] == "false"
    assert config["partition.assignment.strategy"] == "cooperative-sticky"
    assert config["group.id"] == "docflow-extract"
    assert int(config["max.poll.interval.ms"]) >= 300_000, "must exceed the slowest handler call"


def test_consumer_contract_wins_over_user_properties() -> None:
    kafka = KafkaSettings(properties=HOSTILE_PROPERTIES)
    config = consumer_config(kafka, "docflow-validate", "docflow-validate")
    assert config["auto.offset.reset"] == "earliest"
    assert config["enable.auto.offset.store"] == "false"
    assert config["enable.auto.commit"] == "true"
    assert config["partition.assignment.strategy"] == "cooperative-sticky"
    assert config["group.id"] == "docflow-validate"


def test_user_properties_pass_through_and_override_defaults() -> None:
    kafka = KafkaSettings(
        properties={"client.rack": "eu-west-1a", "linger.ms": "50", "session.timeout.ms": "9000"}
    )
    producer = producer_config(kafka, "p")
    consumer = consumer_config(kafka, "c", "g")
    assert producer["client.rack"] == consumer["client.rack"] == "eu-west-1a"
    assert producer["linger.ms"] == "50"
    assert consumer["session.timeout.ms"] == "9000", "a user property beats the profile"


def test_user_properties_are_applied_before_the_contract() -> None:
    """librdkafka applies properties in order; aliases set by users must come first."""
    kafka = KafkaSettings(properties={"request.required.acks": "1"})
    keys = list(producer_config(kafka, "p"))
    assert keys.index("request.required.acks") < keys.index("acks")


@pytest.mark.parametrize(
    ("profile", "session_timeout"),
    [("dev", DEV_PROFILE["session.timeout.ms"]), ("production", "30000")],
)
def test_profile_sets_the_group_timings(profile: str, session_timeout: str) -> None:
    config = consumer_config(KafkaSettings(profile=profile), "c", "g")
    assert config["session.timeout.ms"] == session_timeout


def test_dev_profile_joins_groups_faster_than_production() -> None:
    dev = consumer_config(KafkaSettings(profile="dev"), "c", "g")
    production = consumer_config(KafkaSettings(profile="production"), "c", "g")
    assert int(dev["session.timeout.ms"]) < int(production["session.timeout.ms"])
    assert int(dev["session.timeout.ms"]) <= 10_000, "the local broker stalls with long timeouts"
    assert "topic.metadata.refresh.interval.ms" not in production
    assert production["heartbeat.interval.ms"] == PRODUCTION_PROFILE["heartbeat.interval.ms"]


def test_default_client_is_plaintext_without_sasl() -> None:
    config = client_config(KafkaSettings(), "c")
    assert config["security.protocol"] == "PLAINTEXT"
    assert not any(key.startswith(("sasl.", "ssl.")) for key in config)


def test_sasl_and_tls_settings_map_to_librdkafka_keys() -> None:
    for config in (
        producer_config(sasl_settings(), "p"),
        consumer_config(sasl_settings(), "c", "g"),
    ):
        assert config["bootstrap.servers"] == "kafka-1:9093,kafka-2:9093"
        assert config["security.protocol"] == "SASL_SSL"
        assert config["sasl.mechanism"] == "SCRAM-SHA-512"
        assert config["sasl.username"] == "docflow"
        assert config["sasl.password"] == "s3cr3t-value"
        assert config["ssl.ca.location"] == "/etc/kafka/ca.pem"


def test_oauthbearer_needs_no_username_or_password() -> None:
    kafka = KafkaSettings(security_protocol="SASL_SSL", sasl_mechanism="OAUTHBEARER")
    config = client_config(kafka, "c")
    assert config["sasl.mechanism"] == "OAUTHBEARER"
    assert "sasl.username" not in config
    assert "sasl.password" not in config


def test_every_value_is_a_string() -> None:
    config = consumer_config(sasl_settings(), "c", "g")
    assert all(isinstance(v, str) for v in config.values())


def test_masked_hides_the_sasl_password_and_keeps_the_rest() -> None:
    config = producer_config(sasl_settings(), "p")
    safe = masked(config)
    assert safe["sasl.password"] == "***"
    assert "s3cr3t-value" not in repr(safe)
    assert safe["sasl.username"] == "docflow"
    assert safe["bootstrap.servers"] == config["bootstrap.servers"]
    assert safe["acks"] == "all"
    assert set(safe) == set(config)
    assert config["sasl.password"] == "s3cr3t-value", "masked returns a copy"


@pytest.mark.parametrize(
    "key",
    [
        "ssl.key.password",
        "ssl.keystore.password",
        "sasl.oauthbearer.client.secret",
        "my.custom.secret",
        "ssl.key.pem",
        "sasl.oauthbearer.config",
    ],
)
def test_masked_hides_any_secret_looking_property(key: str) -> None:
    assert masked({key: "hunter2", "client.id": "c"}) == {key: "***", "client.id": "c"}


@pytest.mark.parametrize(
    "key", ["ssl.ca.location", "ssl.certificate.location", "client.rack", "sasl.mechanism"]
)
def test_masked_keeps_ordinary_properties(key: str) -> None:
    assert masked({key: "value"}) == {key: "value"}
