"""Value objects shared by the v1 events."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class V1Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class BlobRef(V1Model):
    """A claim check: where content lives, and how to know it is the same content."""

    url: str = Field(min_length=1, description="file://... or s3://bucket/key")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, description="Size in bytes")


class Finding(V1Model):
    """One result of one validation rule."""

    rule: str = Field(min_length=1)
    severity: Literal["error", "warning", "info"]
    message: str
    field: str | None = None


class Classification(V1Model):
    type: str = Field(min_length=1, description="nda, employment, services, lease, invoice, ...")
    confidence: float = Field(ge=0.0, le=1.0)
    hint: str | None = Field(
        default=None,
        description="The type taken as a prior: the one validated for (the client's hint, if any)",
    )
    text_type: str | None = Field(
        default=None,
        description="The type the text's own evidence points to, when it differs from the hint",
    )


class Cost(V1Model):
    """What one stage's backend charged for one document (zero for local backends)."""

    backend: str
    usd: float = Field(ge=0.0, default=0.0)
    units: dict[str, Annotated[float, Field(ge=0.0, allow_inf_nan=False)]] = Field(
        default_factory=dict,
        description="What the provider bills, by unit: pages by Textract feature "
        "(forms_pages, tables_pages, ...), model tokens (input_tokens, output_tokens). Since 1.2",
    )
    model: str | None = Field(
        default=None, description="The model whose prices apply, for a model backend. Since 1.2"
    )
