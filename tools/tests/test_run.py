"""``make run``'s environment for the services: development defaults for what is unset, and
the halt file every service is told about."""

from pathlib import Path

import pytest

from docflow_tools.run import development_env, tenants
from docflow_tools.settings import RunSettings


def test_unset_variables_get_development_defaults_and_set_ones_are_kept(tmp_path: Path) -> None:
    halt = tmp_path / "halted.json"
    env = development_env({"DOCFLOW_LOG_JSON": "true", "PATH": "/bin"}, halt)
    assert env["DOCFLOW_API_KEYS"] == "local:dev-key"
    assert env["DOCFLOW_WEBHOOK_SECRET"].startswith("whsec_")
    assert env["DOCFLOW_WEBHOOK_ALLOW_PRIVATE_TARGETS"] == "true"
    assert env["DOCFLOW_LOG_JSON"] == "true"
    assert env["PATH"] == "/bin"
    assert env["DOCFLOW_HALT_FILE"] == str(halt)


def test_the_halt_file_is_under_the_state_directory_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DOCFLOW_HALT_FILE", raising=False)
    assert RunSettings().halt_file == Path(".docflow/halted.json")
    monkeypatch.setenv("DOCFLOW_HALT_FILE", "/elsewhere/halt.json")
    assert RunSettings().halt_file == Path("/elsewhere/halt.json")


def test_tenants_are_read_from_the_api_keys_each_once() -> None:
    assert tenants("local:dev-key") == ["local"]
    assert tenants(" a:k1, b:k2 ,a:k3,") == ["a", "b"]
