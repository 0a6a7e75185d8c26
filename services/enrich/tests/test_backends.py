import pytest

from docflow_enrich.__main__ import main
from docflow_enrich.backends import BackendNotAvailableError, LocalBackend, backend_from_settings
from docflow_enrich.settings import EnrichSettings


def test_local_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCFLOW_ENRICH_BACKEND", raising=False)
    assert isinstance(backend_from_settings(EnrichSettings()), LocalBackend)


@pytest.mark.parametrize("name", ["bedrock", "openai"])
def test_planned_backends_say_they_are_not_available(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("DOCFLOW_ENRICH_BACKEND", name)
    with pytest.raises(BackendNotAvailableError, match="not available yet"):
        backend_from_settings(EnrichSettings())


def test_the_service_exits_with_a_clear_message_for_a_planned_backend(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCFLOW_ENRICH_BACKEND", "bedrock")
    assert main() == 2
    assert "DOCFLOW_ENRICH_BACKEND=bedrock is not available yet" in capsys.readouterr().err


def test_an_unknown_backend_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCFLOW_ENRICH_BACKEND", "magic")
    assert main() == 2
    assert "enrich_backend" in capsys.readouterr().err
