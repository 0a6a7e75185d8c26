"""Configuration: the store url, the notify stage's secrets, and the command line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from docflow_store.factory import UnsupportedStoreUrlError, repository_from_url
from docflow_store.settings import NotifySettings, StoreSettings
from docflow_store.sqlite import SqliteRepository
from docflow_store.webhook_secret import check_webhook_secret, generate_webhook_secret

SECRET = generate_webhook_secret()


def test_an_absolute_sqlite_url_creates_missing_directories(tmp_path: Path) -> None:
    path = tmp_path / "state" / "deep" / "docflow.db"
    repo = repository_from_url(f"sqlite:///{path}")
    try:
        assert isinstance(repo, SqliteRepository)
        assert repo.path == path
        assert path.is_file()
    finally:
        repo.close()


def test_a_relative_sqlite_url_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    repo = repository_from_url("sqlite:///state/docflow.db")
    repo.close()
    assert (tmp_path / "state" / "docflow.db").is_file()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://docflow:hunter2@db:5432/docflow", "PostgreSQL results store is not avail"),
        ("dynamodb://docflow-results", "DynamoDB results store is not available yet"),
        ("mysql://db/docflow", "unsupported results store url scheme 'mysql'"),
        ("sqlite://relative.db", "looks like sqlite:///"),
        ("sqlite:///:memory:", "in-memory"),
        ("sqlite:///", "names a database file"),
    ],
)  # fmt: skip
def test_urls_no_backend_serves_are_refused_without_echoing_them(url: str, message: str) -> None:
    with pytest.raises(UnsupportedStoreUrlError, match=message) as raised:
        repository_from_url(url)
    assert "hunter2" not in str(raised.value)


def test_the_default_store_is_an_absolute_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCFLOW_STORE_URL", raising=False)
    url = StoreSettings().store_url
    assert url.startswith("sqlite:////")
    assert url.endswith("/.docflow/docflow.db")


def test_the_store_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_STORE_URL", "sqlite:////var/lib/docflow/results.db")
    assert StoreSettings().store_url == "sqlite:////var/lib/docflow/results.db"


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
        [sys.executable, "-m", "docflow_store", *args],
        env=clean | env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_command_line_names_the_stages() -> None:
    result = _run("nonsense")
    assert result.returncode == 2
    assert "tracker" in result.stderr
    assert "notify" in result.stderr
    assert "store" in result.stderr


def test_notify_fails_fast_without_a_secret(tmp_path: Path) -> None:
    result = _run("notify", DOCFLOW_STORE_URL=f"sqlite:///{tmp_path}/docflow.db")
    assert result.returncode == 2
    assert "DOCFLOW_WEBHOOK_SECRET" in result.stderr or "webhook_secret" in result.stderr
    assert not (tmp_path / "docflow.db").exists(), "nothing is touched before the check"
