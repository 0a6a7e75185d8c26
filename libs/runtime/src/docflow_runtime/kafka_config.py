"""librdkafka configuration for docflow's producers and consumers, in one place.

The values here are the at-least-once contract (docs/architecture.md, "Stage runtime");
users add properties through settings but cannot switch these guarantees off by accident:
user properties are applied first and the contract on top.
"""

from typing import Final

from docflow_runtime.settings import KafkaSettings

#: The local broker joins a group in ~3 s with these, and stalls with librdkafka's 45 s default;
#: it answers a waiting fetch only when the wait ends, so a short wait keeps each stage quick.
DEV_PROFILE: Final[dict[str, str]] = {
    "session.timeout.ms": "6000",
    "heartbeat.interval.ms": "1500",
    "fetch.wait.max.ms": "100",
    "topic.metadata.refresh.interval.ms": "5000",
}
PRODUCTION_PROFILE: Final[dict[str, str]] = {
    "session.timeout.ms": "30000",
    "heartbeat.interval.ms": "3000",
}

PRODUCER_CONTRACT: Final[dict[str, str]] = {
    "enable.idempotence": "true",
    "acks": "all",
}
CONSUMER_CONTRACT: Final[dict[str, str]] = {
    "auto.offset.reset": "earliest",
    "enable.auto.offset.store": "false",
    "enable.auto.commit": "true",
    "partition.assignment.strategy": "cooperative-sticky",
}
CONSUMER_DEFAULTS: Final[dict[str, str]] = {
    "auto.commit.interval.ms": "1000",
    # The loop keeps polling while handlers run, so this bounds a stuck loop, not a slow call.
    "max.poll.interval.ms": "600000",
    "statistics.interval.ms": "5000",
}
PRODUCER_DEFAULTS: Final[dict[str, str]] = {"linger.ms": "5", "compression.type": "none"}

_SECRET_MARKERS: Final = ("password", "secret", "token", "key.pem", "private", "sasl.oauthbearer")


def client_config(kafka: KafkaSettings, client_id: str) -> dict[str, str]:
    """Connection and security properties common to every client."""
    config = {"bootstrap.servers": kafka.bootstrap, "client.id": client_id}
    config["security.protocol"] = kafka.security_protocol
    if kafka.sasl_mechanism:
        config["sasl.mechanism"] = kafka.sasl_mechanism
    if kafka.sasl_username:
        config["sasl.username"] = kafka.sasl_username
    if kafka.sasl_password:
        config["sasl.password"] = kafka.sasl_password.get_secret_value()
    if kafka.ssl_ca_location:
        config["ssl.ca.location"] = kafka.ssl_ca_location
    return config


def _profile(kafka: KafkaSettings) -> dict[str, str]:
    return DEV_PROFILE if kafka.profile == "dev" else PRODUCTION_PROFILE


def producer_config(kafka: KafkaSettings, client_id: str) -> dict[str, str]:
    return {
        **PRODUCER_DEFAULTS,
        **client_config(kafka, client_id),
        # librdkafka's default (300 s) would hold an undeliverable output for five minutes.
        "delivery.timeout.ms": str(int(kafka.delivery_timeout_seconds * 1000)),
        **kafka.librdkafka_properties(),
        **PRODUCER_CONTRACT,
    }


def consumer_config(kafka: KafkaSettings, client_id: str, group_id: str) -> dict[str, str]:
    return {
        **CONSUMER_DEFAULTS,
        **_profile(kafka),
        **client_config(kafka, client_id),
        **kafka.librdkafka_properties(),
        **CONSUMER_CONTRACT,
        "group.id": group_id,
    }


def masked(config: dict[str, str]) -> dict[str, str]:
    """A copy safe to log: values of secret-looking properties are replaced."""
    return {k: ("***" if any(m in k for m in _SECRET_MARKERS) else v) for k, v in config.items()}
