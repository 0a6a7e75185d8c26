"""The ingest service's configuration, read from ``DOCFLOW_*`` environment variables."""

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr, field_validator
from pydantic_settings import NoDecode

from docflow_results.settings import ResultsSettings, StalledSettings
from docflow_runtime.settings import ServiceSettings

MIB = 1024 * 1024
#: Tenants name blob key segments and event fields, so they keep to a safe alphabet.
TENANT_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class ApiKey(BaseModel):
    """One API key and the tenant it acts for."""

    model_config = ConfigDict(frozen=True)

    tenant: str
    key: SecretStr


def parse_api_keys(raw: str) -> list[ApiKey]:
    """``tenant:key,tenant:key`` → keys; raises ValueError naming the bad entry's position."""
    entries = [entry.strip() for entry in raw.split(",")]
    if not any(entries):
        raise ValueError("DOCFLOW_API_KEYS is empty: give tenant:key pairs, comma-separated")
    keys = [_parse_entry(position, entry) for position, entry in enumerate(entries, start=1)]
    if len({k.key.get_secret_value() for k in keys}) != len(keys):
        raise ValueError("DOCFLOW_API_KEYS holds the same key twice")
    return keys


def _parse_entry(position: int, entry: str) -> ApiKey:
    # The message names the position only: the entry holds a secret.
    tenant, sep, key = entry.partition(":")
    if not sep or not key.strip():
        raise ValueError(f"DOCFLOW_API_KEYS entry {position} is not tenant:key")
    if not TENANT_PATTERN.fullmatch(tenant.strip()):
        raise ValueError(f"DOCFLOW_API_KEYS entry {position}: a tenant is 1-64 of A-Z a-z 0-9 _ -")
    return ApiKey(tenant=tenant.strip(), key=SecretStr(key.strip()))


class IngestSettings(ServiceSettings, ResultsSettings, StalledSettings):
    """Environment: ``DOCFLOW_<FIELD>``: what every service reads, the results store, and the
    API's own settings."""

    api_keys: Annotated[list[ApiKey], NoDecode] = Field(
        description="DOCFLOW_API_KEYS: tenant:key pairs, comma-separated"
    )
    ingest_host: str = "0.0.0.0"  # noqa: S104 - a container serves on its pod address
    ingest_port: int = Field(default=8080, ge=0, le=65535)
    max_upload_bytes: int = Field(default=50 * MIB, ge=1)
    max_form_field_bytes: int = Field(
        default=64 * 1024, ge=1, description="Largest text field of a multipart upload"
    )
    publish_timeout_seconds: float = Field(
        default=10.0, gt=0, description="How long an upload waits for the broker's ack"
    )
    retry_after_seconds: int = Field(default=5, ge=1, description="Retry-After on 409 and 503")
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)
    public_base_url: HttpUrl | None = Field(
        default=None, description="Base of status_url when behind a proxy; else the request's"
    )
    halt_file: Path | None = Field(
        default=None,
        description="While this file exists, new work is refused (503) with the reason it "
        "holds; make run's supervisor writes it when it gives up on a stage",
    )

    max_result_bytes: int = Field(
        default=64 * MIB,
        ge=1,
        description="Largest claim-checked extraction result the review page reads",
    )
    review_session_secret: SecretStr | None = Field(
        default=None,
        description="Signs the review page's session cookies; give every replica the same one "
        "(unset: a random secret per process, so sessions end when it restarts)",
    )
    review_cookie_secure: bool = Field(
        default=False, description="Send the session cookie over HTTPS only (set behind TLS)"
    )
    review_session_seconds: int = Field(
        default=8 * 3600, ge=60, description="How long a review page sign-in lasts"
    )
    review_page_width: int = Field(
        default=1100, ge=200, le=4000, description="Width in pixels of the page images shown"
    )
    review_metrics_refresh_seconds: float = Field(
        default=15.0, ge=0, description="How often the review queue gauges re-read the store"
    )
    review_sign_in_failures: int = Field(
        default=10,
        ge=1,
        description="Failed review page sign-ins one address may make per window; later "
        "attempts are refused (429) until the oldest leaves the window",
    )
    review_sign_in_window_seconds: int = Field(
        default=300, ge=1, description="The window over which failed sign-ins are counted"
    )
    review_sign_in_clients: int = Field(
        default=10_000,
        ge=1,
        description="Addresses whose failed sign-ins are remembered at most (bounds memory; "
        "the one that failed least recently is forgotten first)",
    )

    @field_validator("api_keys", mode="before")
    @classmethod
    def _parse_api_keys(cls, value: Any) -> Any:
        return parse_api_keys(value) if isinstance(value, str) else value
