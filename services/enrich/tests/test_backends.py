import pytest

from docflow_enrich.__main__ import main
from docflow_enrich.backends import LocalBackend, backend_from_settings
from docflow_enrich.backends.llm import LlmBackend
from docflow_enrich.settings import EnrichSettings


def test_local_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCFLOW_ENRICH_BACKEND", raising=False)
    assert isinstance(backend_from_settings(EnrichSettings()), LocalBackend)


def test_bedrock_and_openai_are_model_backends() -> None:
    bedrock = backend_from_settings(
        EnrichSettings(enrich_backend="bedrock", enrich_bedrock_region="us-east-1")
    )
    openai = backend_from_settings(
        EnrichSettings(
            enrich_backend="openai",
            enrich_openai_base_url="http://127.0.0.1:8000/v1",
            enrich_openai_model="m",
        )
    )
    assert isinstance(bedrock, LlmBackend)
    assert isinstance(openai, LlmBackend)
    assert (bedrock.name, openai.name) == ("bedrock", "openai")
    bedrock.close()
    openai.close()


def test_an_unknown_backend_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCFLOW_ENRICH_BACKEND", "magic")
    assert main() == 2
    assert "enrich_backend" in capsys.readouterr().err
