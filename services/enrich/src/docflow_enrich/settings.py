"""The enrich service's settings (environment ``DOCFLOW_*``)."""

from typing import Literal

from pydantic import Field

from docflow_runtime.settings import RuntimeSettings


class EnrichSettings(RuntimeSettings):
    enrich_backend: Literal["local", "bedrock", "openai"] = Field(
        default="local", description="local (rules, free); bedrock and openai are planned"
    )
    enrich_summary_sentences: int = Field(default=3, ge=1, le=20)
