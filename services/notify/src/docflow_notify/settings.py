"""The notify service's settings: the runtime's, the results store, and how to sign webhooks."""

from pydantic import Field, SecretStr, field_validator

from docflow_notify.webhook_secret import check_webhook_secret
from docflow_results.settings import ResultsSettings
from docflow_runtime.settings import RuntimeSettings


class NotifySettings(RuntimeSettings, ResultsSettings):
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
