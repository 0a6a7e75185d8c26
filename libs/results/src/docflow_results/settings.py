"""Where the results live: the settings of every service that reads or writes them."""

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from docflow_results.sqlite import DEFAULT_BUSY_TIMEOUT_SECONDS
from docflow_runtime.settings import DEFAULT_STATE_DIR


def _default_store_url() -> str:
    return "sqlite:///" + str((DEFAULT_STATE_DIR / "docflow.db").absolute())


class ResultsSettings(BaseSettings):
    """Mixed into a service's settings. ``DOCFLOW_STORE_URL``: ``sqlite:///relative.db``,
    ``sqlite:////absolute.db``, ..."""

    model_config = SettingsConfigDict(
        env_prefix="DOCFLOW_", extra="ignore", hide_input_in_errors=True
    )

    store_url: str = Field(default_factory=_default_store_url, min_length=1)
    store_busy_timeout_seconds: float = Field(
        default=DEFAULT_BUSY_TIMEOUT_SECONDS,
        gt=0,
        description="How long a write waits for another writer's lock",
    )
    store_pool_min_size: int = Field(
        default=1, ge=0, description="PostgreSQL: connections each process keeps open"
    )
    store_pool_max_size: int = Field(
        default=10, ge=1, description="PostgreSQL: most connections each process opens"
    )
    store_connect_timeout_seconds: float = Field(
        default=10.0, gt=0, description="PostgreSQL: how long opening a connection may take"
    )
    store_pool_timeout_seconds: float = Field(
        default=30.0, gt=0, description="PostgreSQL: how long a call waits for a free connection"
    )
    store_dynamodb_retry_mode: Literal["standard", "adaptive"] = Field(
        default="standard", description="DynamoDB: botocore's retry mode (adaptive also paces)"
    )
    store_dynamodb_max_attempts: int = Field(
        default=5, ge=1, le=20, description="DynamoDB: attempts per call, retries included"
    )


class StalledSettings(BaseSettings):
    """When a document on its way counts as stalled: mixed into the settings of the services
    that act on stalled documents (the reconciler re-drives them, ingest reprocesses them)."""

    model_config = SettingsConfigDict(
        env_prefix="DOCFLOW_", extra="ignore", hide_input_in_errors=True
    )

    stalled_after_seconds: float = Field(
        default=600.0,
        gt=0,
        description="A document on its way that has not changed for this long is stalled "
        "(longer than the slowest stage takes, or slow documents get re-driven)",
    )
