"""Choose the enrichment backend named by the settings."""

from docflow_enrich.backends.base import EnrichmentBackend
from docflow_enrich.backends.llm import LlmBackend, LlmOptions
from docflow_enrich.backends.llm.bedrock import BedrockClient
from docflow_enrich.backends.llm.client import ModelClient
from docflow_enrich.backends.llm.openai import OpenAIClient
from docflow_enrich.backends.local import LocalBackend
from docflow_enrich.settings import EnrichSettings
from docflow_runtime.errors import ConfigurationError


class MissingModelSettingError(ConfigurationError):
    """A model backend is chosen without a setting it cannot work without."""


def backend_from_settings(settings: EnrichSettings) -> EnrichmentBackend:
    if settings.enrich_backend == "local":
        return local_backend(settings)
    options = LlmOptions(
        max_tokens=settings.enrich_model_max_tokens,
        chunk_chars=settings.enrich_chunk_chars,
        max_chunks=settings.enrich_max_chunks,
    )
    return LlmBackend(_model_client(settings), options, settings.price_table())


def local_backend(settings: EnrichSettings) -> LocalBackend:
    return LocalBackend(summary_sentences=settings.enrich_summary_sentences)


def _model_client(settings: EnrichSettings) -> ModelClient:
    if settings.enrich_backend == "bedrock":
        return BedrockClient(
            model_id=settings.enrich_bedrock_model_id,
            region=settings.enrich_bedrock_region,
            endpoint_url=settings.enrich_bedrock_endpoint_url,
            timeout_seconds=settings.enrich_model_timeout_seconds,
            max_attempts=settings.enrich_model_max_attempts,
            temperature=settings.enrich_model_temperature,
        )
    return OpenAIClient(
        base_url=_required(settings.enrich_openai_base_url, "DOCFLOW_ENRICH_OPENAI_BASE_URL"),
        model=_required(settings.enrich_openai_model, "DOCFLOW_ENRICH_OPENAI_MODEL"),
        api_key=settings.enrich_openai_api_key,
        timeout_seconds=settings.enrich_model_timeout_seconds,
        max_attempts=settings.enrich_model_max_attempts,
        max_retry_wait_seconds=settings.enrich_model_max_retry_wait_seconds,
        temperature=settings.enrich_model_temperature,
    )


def _required(value: str | None, variable: str) -> str:
    if not value:
        raise MissingModelSettingError(f"DOCFLOW_ENRICH_BACKEND=openai needs {variable}")
    if variable.endswith("_URL") and not value.startswith(("http://", "https://")):
        raise MissingModelSettingError(f"{variable} must be an http:// or https:// url")
    return value
