"""The enrich service's settings (environment ``DOCFLOW_*``)."""

from typing import Literal

from pydantic import Field, SecretStr

from docflow_runtime.pricing import PricingSettings
from docflow_runtime.settings import RuntimeSettings


class EnrichSettings(RuntimeSettings, PricingSettings):
    enrich_backend: Literal["local", "bedrock", "openai"] = Field(
        default="local",
        description="local (rules, free), bedrock (Amazon Bedrock Converse) or openai (any "
        "OpenAI-compatible chat-completions server)",
    )
    enrich_summary_sentences: int = Field(default=3, ge=1, le=20)
    enrich_fallback: Literal["local", "none"] = Field(
        default="local",
        description="When a model's answers fail for good: enrich with the local rules "
        "(marked in the result), or send the document to review",
    )
    enrich_model_max_tokens: int = Field(
        default=2048, ge=64, description="Output tokens a model may use on one chunk"
    )
    enrich_model_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    enrich_model_timeout_seconds: float = Field(
        default=120.0, gt=0, description="How long one model call may take"
    )
    enrich_model_max_attempts: int = Field(
        default=3, ge=1, le=10, description="Calls per chunk when the model is throttled"
    )
    enrich_model_max_retry_wait_seconds: float = Field(
        default=20.0, gt=0, description="The longest a throttled call waits before its retry"
    )
    enrich_chunk_chars: int = Field(
        default=24000, ge=1000, description="Characters of text sent to the model at once"
    )
    enrich_max_chunks: int = Field(
        default=16, ge=1, description="Chunks read per document; the rest is not sent"
    )
    enrich_bedrock_model_id: str = Field(
        default="us.anthropic.claude-haiku-4-5-20251001-v1:0",
        min_length=1,
        description="A Bedrock model id or inference profile id (us., eu., apac., global.)",
    )
    enrich_bedrock_region: str | None = Field(
        default=None, description="AWS region of Bedrock; unset: the SDK's default chain"
    )
    enrich_bedrock_endpoint_url: str | None = Field(
        default=None, description="Another Bedrock runtime endpoint (a VPC endpoint, tests)"
    )
    enrich_openai_base_url: str | None = Field(
        default=None, description="Base url of an OpenAI-compatible API, up to /v1"
    )
    enrich_openai_model: str | None = Field(
        default=None, description="The model name the OpenAI-compatible server serves"
    )
    enrich_openai_api_key: SecretStr | None = Field(
        default=None, description="Bearer key of the OpenAI-compatible server, if it needs one"
    )
