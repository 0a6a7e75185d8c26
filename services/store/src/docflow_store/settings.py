"""The store service's settings: the runtime's, plus where the results live and how to notify."""

from pydantic import Field, SecretStr, field_validator

from docflow_runtime.settings import DEFAULT_STATE_DIR, RuntimeSettings
from docflow_store.sqlite import DEFAULT_BUSY_TIMEOUT_SECONDS
from docflow_store.webhook_secret import check_webhook_secret


def _default_store_url() -> str:
    return "sqlite:///" + str((DEFAULT_STATE_DIR / "docflow.db").absolute())


class StoreSettings(RuntimeSettings):
    """``DOCFLOW_STORE_URL``: ``sqlite:///relative.db``, ``sqlite:////absolute.db``, ..."""

    store_url: str = Field(default_factory=_default_store_url, min_length=1)
    store_busy_timeout_seconds: float = Field(
        default=DEFAULT_BUSY_TIMEOUT_SECONDS,
        gt=0,
        description="How long a write waits for another writer's lock",
    )


class NotifySettings(StoreSettings):
    """The notify stage signs every webhook; it does not start without a real secret."""

    webhook_secret: SecretStr = Field(
        description="Standard Webhooks secret (whsec_ + base64) for tenants without their own"
    )
    webhook_tenant_secrets: dict[str, SecretStr] = Field(
        default_factory=dict,
        description='Per-tenant secrets as a JSON object: {"tenant": "whsec_..."}',
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    webhook_allow_private_targets: bool = Field(
        default=False,
        description="Deliver to loopback and private addresses (development and tests only)",
    )

    @field_validator("webhook_secret")
    @classmethod
    def _real_secret(cls, value: SecretStr) -> SecretStr:
        check_webhook_secret(value.get_secret_value())
        return value

    @field_validator("webhook_tenant_secrets")
    @classmethod
    def _real_tenant_secrets(cls, value: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for secret in value.values():
            check_webhook_secret(secret.get_secret_value())
        return value

    def secret_for(self, tenant: str) -> str:
        return (self.webhook_tenant_secrets.get(tenant) or self.webhook_secret).get_secret_value()
