"""Settings shared by docflow's services, read from ``DOCFLOW_*`` environment variables.

:class:`ServiceSettings` is what every service needs (the broker, topic names, logging, the
blob store); :class:`RuntimeSettings` adds what a stage worker needs (concurrency, retries,
shutdown, health). A service subclasses one of them, so one class per service holds all of
its configuration and nothing it does not use. Defaults are the embedded one-machine setup.
"""

from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STATE_DIR = Path(".docflow")


def _default_blob_url() -> str:
    return (DEFAULT_STATE_DIR / "blobs").absolute().as_uri()


class KafkaSettings(BaseSettings):
    """How to reach the broker; every librdkafka property can be passed through."""

    # Errors must not echo values: a failing start-up's message lands in logs, with secrets.
    model_config = SettingsConfigDict(
        env_prefix="DOCFLOW_KAFKA_", extra="ignore", hide_input_in_errors=True
    )

    bootstrap: str = Field(default="127.0.0.1:9092", min_length=1)
    profile: Literal["dev", "production"] = Field(
        default="dev", description="dev: timings for the local broker; production: real Kafka"
    )
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_ca_location: str | None = None
    delivery_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=300,
        description="How long a produced message may wait for the broker's acknowledgement; "
        "past it the message fails, and its event with it",
    )
    properties: dict[str, str | int | float | bool] = Field(
        default_factory=dict,
        description='Extra librdkafka properties as a JSON object, e.g. {"client.rack": "a"}',
    )

    def librdkafka_properties(self) -> dict[str, str]:
        """``properties`` as librdkafka wants them: strings, booleans spelled true/false."""
        return {
            k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in self.properties.items()
        }

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> Self:
        plain = self.sasl_mechanism in {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}
        if plain and not (self.sasl_username and self.sasl_password):
            raise ValueError(
                f"DOCFLOW_KAFKA_SASL_MECHANISM={self.sasl_mechanism} needs "
                "DOCFLOW_KAFKA_SASL_USERNAME and DOCFLOW_KAFKA_SASL_PASSWORD"
            )
        return self


class BlobS3Settings(BaseSettings):
    """How to reach the blob store when ``DOCFLOW_BLOB_URL`` is ``s3://bucket/prefix``.

    Credentials are never settings here: boto3 finds them as on AWS (environment, profile,
    web identity, instance role). Without ``endpoint_url``, boto3's own ``AWS_ENDPOINT_URL_S3``
    and ``AWS_ENDPOINT_URL`` are honoured, which is how MinIO and other S3-compatible stores
    are reached.
    """

    model_config = SettingsConfigDict(
        env_prefix="DOCFLOW_BLOB_S3_", extra="ignore", hide_input_in_errors=True
    )

    endpoint_url: str | None = Field(default=None, pattern=r"^https?://")
    region: str | None = Field(default=None, pattern=r"^[a-z0-9-]+$")
    path_style: bool = Field(
        default=False, description="Path-style addressing (bucket in the path), for MinIO"
    )
    sse: Literal["none", "AES256", "aws:kms"] = "none"
    kms_key_id: str | None = Field(default=None, min_length=1)
    # S3 refuses parts under 5 MiB (except the last) and over 5 GiB.
    multipart_threshold_mib: int = Field(default=8, ge=5, le=5120)
    multipart_part_size_mib: int = Field(default=8, ge=5, le=5120)
    checksums: bool = Field(
        default=True,
        description="Send SHA-256 checksums S3 checks on write, and ask for them on read; "
        "off for S3-compatible stores that refuse them",
    )
    retry_mode: Literal["standard", "adaptive", "legacy"] = "standard"
    max_attempts: int = Field(default=5, ge=1, le=20)
    connect_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    read_timeout_seconds: float = Field(default=60.0, gt=0, le=900)
    max_connections: int = Field(default=32, ge=1, le=1024)

    @model_validator(mode="after")
    def _kms_key_needs_kms(self) -> Self:
        if self.kms_key_id and self.sse != "aws:kms":
            raise ValueError("DOCFLOW_BLOB_S3_KMS_KEY_ID needs DOCFLOW_BLOB_S3_SSE=aws:kms")
        return self


class ServiceSettings(BaseSettings):
    """What every docflow service reads. Environment: ``DOCFLOW_<FIELD>``."""

    model_config = SettingsConfigDict(
        env_prefix="DOCFLOW_", extra="ignore", hide_input_in_errors=True
    )

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    topic_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9._-]*$")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True
    blob_url: str = Field(default_factory=_default_blob_url)
    blob_s3: BlobS3Settings = Field(default_factory=BlobS3Settings)

    def topic(self, name: str) -> str:
        """The deployed name of a topic."""
        return f"{self.topic_prefix}{name}"


class HealthSettings(BaseSettings):
    """Where a service without an API of its own serves ``/healthz``, ``/readyz`` and
    ``/metrics``. Mixed into a service's settings."""

    model_config = SettingsConfigDict(
        env_prefix="DOCFLOW_", extra="ignore", hide_input_in_errors=True
    )

    health_host: str = "0.0.0.0"  # noqa: S104 - probes and scrapes reach the pod's own address
    health_port: int = Field(default=8081, ge=0, le=65535)


class PeriodicSettings(ServiceSettings, HealthSettings):
    """What a service that works in passes reads (:mod:`docflow_runtime.periodic`)."""


class RuntimeSettings(ServiceSettings, HealthSettings):
    """The stage runtime's knobs, besides what every service reads."""

    max_in_flight: int = Field(default=16, ge=1, description="Events handled at once")
    max_pending: int = Field(
        default=256, ge=1, description="Events fetched but not finished; fetching pauses above"
    )
    retry_max_attempts: int = Field(default=5, ge=1)
    retry_initial_backoff_seconds: float = Field(default=0.5, gt=0)
    retry_max_backoff_seconds: float = Field(default=30.0, gt=0)
    shutdown_timeout_seconds: float = Field(default=30.0, gt=0)
    breaker_window: int = Field(
        default=20, ge=2, description="Recent events the circuit breaker looks at"
    )
    breaker_min_failures: int = Field(
        default=5,
        ge=2,
        description="Events failing transiently before the breaker may open; more than the "
        "window turns the breaker off",
    )
    breaker_failure_ratio: float = Field(
        default=0.5, gt=0, le=1, description="Share of recent events failing that opens it"
    )
    breaker_cooldown_seconds: float = Field(
        default=15.0, gt=0, description="Wait before each probe while the breaker is open"
    )
    max_result_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1,
        description="Largest claim-checked result (extraction, enrichment) a stage reads",
    )

    @model_validator(mode="after")
    def _pending_covers_in_flight(self) -> Self:
        if self.max_pending < self.max_in_flight:
            raise ValueError("DOCFLOW_MAX_PENDING must be at least DOCFLOW_MAX_IN_FLIGHT")
        return self
