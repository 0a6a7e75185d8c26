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
from docflow_tools.run_lock import RunningElsewhereError, only_run
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
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert run.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in run.stderr
    assert "may still be stopping" in run.stderr
    assert "DOCFLOW_KAFKA_BOOTSTRAP" in run.stderr


def test_a_second_make_run_refuses_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    with only_run(tmp_path / ".docflow" / "run.lock"):
        run = subprocess.run(
            [sys.executable, "-m", "docflow_tools.run"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert run.returncode == 1
    assert f"another make run (pid {os.getpid()}) is running here, or still stopping" in run.stderr
    assert not (tmp_path / ".docflow" / "logs").exists(), "nothing was started"


def test_the_lock_is_free_again_once_its_holder_is_done(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    with (
        only_run(lock),
        pytest.raises(RunningElsewhereError, match=str(os.getpid())),
        only_run(lock),
    ):
        pass
    with only_run(lock):
        assert lock.read_text(encoding="utf-8") == f"{os.getpid()}\n"


def test_a_killed_holder_leaves_the_lock_free(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from docflow_tools.run_lock import only_run; "
         f"cm = only_run(Path({str(lock)!r})); cm.__enter__(); print('held', flush=True); "
         "time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunningElsewhereError, match=str(holder.pid)), only_run(lock):
            pass
    finally:
        holder.kill()
        holder.wait(timeout=10)
    with only_run(lock):
        assert lock.read_text(encoding="utf-8") == f"{os.getpid()}\n"
