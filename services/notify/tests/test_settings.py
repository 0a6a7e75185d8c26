"""The notify service's configuration: its signing secrets, checked before it starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from docflow_notify.settings import NotifySettings
from docflow_notify.webhook_secret import check_webhook_secret, generate_webhook_secret

SECRET = generate_webhook_secret()


def test_notify_reads_its_secrets_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    globex = generate_webhook_secret()
    monkeypatch.setenv("DOCFLOW_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("DOCFLOW_WEBHOOK_TENANT_SECRETS", f'{{"globex": "{globex}"}}')
    settings = NotifySettings()
    assert settings.secret_for("acme") == SECRET
    assert settings.secret_for("globex") == globex
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("", "starts with 'whsec_'"),
        ("c2VjcmV0LWJ1dC1ub3QtcHJlZml4ZWQtd2l0aC13aHNlYw==", "starts with 'whsec_'"),
        ("whsec_CHANGE_ME", "placeholder"),
        ("whsec_placeholder", "placeholder"),
        ("whsec_not*base64!", "not valid base64"),
        ("whsec_c2hvcnQ=", "at least 24 bytes"),
        ("whsec_" + "A" * 44, "not random"),
    ],
)
def test_unusable_secrets_are_refused(secret: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as raised:
        check_webhook_secret(secret)
    assert not secret or secret not in str(raised.value)


def test_a_refused_secret_is_not_echoed_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_WEBHOOK_SECRET", "whsec_changemeplease")
    with pytest.raises(ValidationError) as raised:
        NotifySettings()
    assert "changemeplease" not in str(raised.value)


def test_notify_does_not_start_without_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCFLOW_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ValidationError, match="webhook_secret"):
        NotifySettings()
    monkeypatch.setenv("DOCFLOW_WEBHOOK_SECRET", "whsec_CHANGE_ME")
    with pytest.raises(ValidationError, match="placeholder"):
        NotifySettings()


def test_generated_secrets_are_accepted() -> None:
    for _ in range(200):
        check_webhook_secret(generate_webhook_secret())


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    return subprocess.run(
        [sys.executable, "-m", "docflow_notify", *args],
        env=clean | env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_notify_fails_fast_without_a_secret(tmp_path: Path) -> None:
    result = _run(DOCFLOW_STORE_URL=f"sqlite:///{tmp_path}/docflow.db")
    assert result.returncode == 2
    assert "DOCFLOW_WEBHOOK_SECRET" in result.stderr or "webhook_secret" in result.stderr
    assert not (tmp_path / "docflow.db").exists(), "nothing is touched before the check"
