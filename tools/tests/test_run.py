"""``make run``'s environment for the services: development defaults for what is unset, and
the halt file every service is told about."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

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


def test_the_health_ports_and_replaced_modules_are_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert RunSettings().run_health_port_base == 8091
    assert RunSettings().run_service_modules == {}
    monkeypatch.setenv("DOCFLOW_RUN_HEALTH_PORT_BASE", "18091")
    monkeypatch.setenv("DOCFLOW_RUN_SERVICE_MODULES", '{"enrich": "some.module"}')
    settings = RunSettings()
    assert settings.run_health_port_base == 18091
    assert settings.run_service_modules == {"enrich": "some.module"}


def test_only_a_known_service_can_run_another_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_RUN_SERVICE_MODULES", '{"enrichment": "some.module"}')
    with pytest.raises(ValidationError, match="no such service: enrichment"):
        RunSettings()


def test_a_port_held_by_no_broker_says_an_earlier_run_may_still_be_stopping(
    tmp_path: Path,
) -> None:
    with socket.socket() as held:  # bound, not listening: no broker answers there
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        env = os.environ | {
            "DOCFLOW_KAFKA_BOOTSTRAP": f"127.0.0.1:{port}",
            "DOCFLOW_HALT_FILE": str(tmp_path / "halted.json"),
        }
        run = subprocess.run(
            [sys.executable, "-m", "docflow_tools.run", "--log-dir", str(tmp_path)],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert run.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in run.stderr
    assert "may still be stopping" in run.stderr
    assert "DOCFLOW_KAFKA_BOOTSTRAP" in run.stderr
