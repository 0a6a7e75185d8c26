"""Settings from DOCFLOW_* environment variables, validated with messages that name them."""

import os
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsError

from docflow_runtime.settings import KafkaSettings, RuntimeSettings


@pytest.fixture(autouse=True)
def _no_docflow_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sets what it needs; nothing leaks in from the caller's environment."""
    for name in list(os.environ):
        if name.upper().startswith("DOCFLOW_"):
            monkeypatch.delenv(name)


def test_defaults_are_the_embedded_setup() -> None:
    settings = RuntimeSettings()
    assert settings.kafka.bootstrap == "127.0.0.1:9092"
    assert settings.kafka.profile == "dev"
    assert settings.kafka.security_protocol == "PLAINTEXT"
    assert settings.kafka.properties == {}
    assert settings.topic_prefix == ""
    assert settings.max_pending >= settings.max_in_flight >= 1
    assert settings.blob_url.startswith("file://")


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_BOOTSTRAP", "kafka-0.kafka:9092,kafka-1.kafka:9092")
    monkeypatch.setenv("DOCFLOW_TOPIC_PREFIX", "staging.")
    monkeypatch.setenv("DOCFLOW_MAX_IN_FLIGHT", "32")
    monkeypatch.setenv("DOCFLOW_MAX_PENDING", "512")
    monkeypatch.setenv("DOCFLOW_KAFKA_PROFILE", "production")
    monkeypatch.setenv("DOCFLOW_RETRY_MAX_ATTEMPTS", "7")
    monkeypatch.setenv("DOCFLOW_HEALTH_PORT", "9000")
    monkeypatch.setenv("DOCFLOW_LOG_JSON", "false")
    settings = RuntimeSettings()
    assert settings.kafka.bootstrap == "kafka-0.kafka:9092,kafka-1.kafka:9092"
    assert settings.topic_prefix == "staging."
    assert settings.max_in_flight == 32
    assert settings.max_pending == 512
    assert settings.kafka.profile == "production"
    assert settings.retry_max_attempts == 7
    assert settings.health_port == 9000
    assert settings.log_json is False


def test_kafka_properties_are_parsed_from_a_json_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "DOCFLOW_KAFKA_PROPERTIES", '{"client.rack": "eu-west-1a", "linger.ms": "20"}'
    )
    assert RuntimeSettings().kafka.properties == {"client.rack": "eu-west-1a", "linger.ms": "20"}


def test_kafka_properties_that_are_not_json_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_PROPERTIES", "client.rack=eu-west-1a")
    with pytest.raises(SettingsError, match='"properties"'):
        KafkaSettings()


def test_sasl_credentials_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_USERNAME", "docflow")
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_PASSWORD", "pa55-w0rd")
    kafka = RuntimeSettings().kafka
    assert kafka.sasl_mechanism == "SCRAM-SHA-256"
    assert kafka.sasl_username == "docflow"
    assert kafka.sasl_password is not None
    assert kafka.sasl_password.get_secret_value() == "pa55-w0rd"


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_without_password_fails_naming_the_variables(
    monkeypatch: pytest.MonkeyPatch, mechanism: str
) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_MECHANISM", mechanism)
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_USERNAME", "docflow")
    with pytest.raises(ValidationError) as caught:
        RuntimeSettings()
    message = str(caught.value)
    assert f"DOCFLOW_KAFKA_SASL_MECHANISM={mechanism}" in message
    assert "DOCFLOW_KAFKA_SASL_USERNAME" in message
    assert "DOCFLOW_KAFKA_SASL_PASSWORD" in message


def test_sasl_without_username_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_MECHANISM", "PLAIN")
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_PASSWORD", "pa55-w0rd")
    with pytest.raises(ValidationError, match="DOCFLOW_KAFKA_SASL_USERNAME"):
        KafkaSettings()


def test_oauthbearer_needs_no_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_MECHANISM", "OAUTHBEARER")
    assert RuntimeSettings().kafka.sasl_mechanism == "OAUTHBEARER"


def test_unknown_sasl_mechanism_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_MECHANISM", "GSSAPI-ish")
    with pytest.raises(ValidationError, match="sasl_mechanism"):
        KafkaSettings()


def test_max_pending_below_max_in_flight_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_MAX_IN_FLIGHT", "16")
    monkeypatch.setenv("DOCFLOW_MAX_PENDING", "8")
    with pytest.raises(ValidationError, match="DOCFLOW_MAX_PENDING must be at least"):
        RuntimeSettings()


def test_max_pending_equal_to_max_in_flight_is_fine() -> None:
    settings = RuntimeSettings(max_in_flight=8, max_pending=8)
    assert (settings.max_in_flight, settings.max_pending) == (8, 8)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DOCFLOW_MAX_IN_FLIGHT", "0"),
        ("DOCFLOW_MAX_IN_FLIGHT", "many"),
        ("DOCFLOW_RETRY_MAX_ATTEMPTS", "0"),
        ("DOCFLOW_RETRY_INITIAL_BACKOFF_SECONDS", "0"),
        ("DOCFLOW_HEALTH_PORT", "70000"),
        ("DOCFLOW_LOG_LEVEL", "LOUD"),
        ("DOCFLOW_KAFKA_PROFILE", "staging"),
    ],
)
def test_out_of_range_values_are_rejected(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError):
        RuntimeSettings()


@pytest.mark.parametrize("prefix", ["prod/", "has space.", "ümlaut.", "a:b"])
def test_invalid_topic_prefix_is_rejected(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    monkeypatch.setenv("DOCFLOW_TOPIC_PREFIX", prefix)
    with pytest.raises(ValidationError, match="topic_prefix"):
        RuntimeSettings()


@pytest.mark.parametrize("prefix", ["", "staging.", "team-a_", "Env1."])
def test_valid_topic_prefixes_are_accepted(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    monkeypatch.setenv("DOCFLOW_TOPIC_PREFIX", prefix)
    assert RuntimeSettings().topic_prefix == prefix


def test_topic_puts_the_prefix_in_front() -> None:
    assert RuntimeSettings(topic_prefix="staging.").topic("docflow.document.received") == (
        "staging.docflow.document.received"
    )
    assert RuntimeSettings().topic("docflow.document.received") == "docflow.document.received"


def test_the_password_never_shows_in_repr_or_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_MECHANISM", "PLAIN")
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_USERNAME", "docflow")
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_PASSWORD", "pa55-w0rd-do-not-log")
    settings = RuntimeSettings()
    assert settings.kafka.sasl_password is not None
    for text in (repr(settings), str(settings), repr(settings.kafka), settings.model_dump_json()):
        assert "pa55-w0rd-do-not-log" not in text
    assert "sasl_password" in repr(settings.kafka), "the field is shown, its value is not"


def test_a_refused_setting_never_echoes_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_MECHANISM", "PLAIN")
    monkeypatch.setenv("DOCFLOW_KAFKA_SASL_PASSWORD", "pa55-w0rd-do-not-log")
    with pytest.raises(ValidationError, match="DOCFLOW_KAFKA_SASL_USERNAME") as raised:
        RuntimeSettings()
    assert "pa55-w0rd-do-not-log" not in str(raised.value)


def test_a_service_subclass_adds_its_own_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    class StoreSettings(RuntimeSettings):
        store_url: str = "sqlite:///docflow.db"

    monkeypatch.setenv("DOCFLOW_STORE_URL", f"sqlite:///{tmp_path}/results.db")
    monkeypatch.setenv("DOCFLOW_KAFKA_BOOTSTRAP", "broker:9092")
    settings = StoreSettings()
    assert settings.store_url == f"sqlite:///{tmp_path}/results.db"
    assert settings.kafka.bootstrap == "broker:9092"


def test_unknown_docflow_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_EXTRACT_BACKEND", "textract")
    monkeypatch.setenv("DOCFLOW_KAFKA_SOMETHING_NEW", "1")
    assert RuntimeSettings().kafka.bootstrap == "127.0.0.1:9092"
