"""Configuration of the results store: its url and the settings that name it."""

from pathlib import Path

import pytest

from docflow_results.factory import UnsupportedStoreUrlError, repository_from_url
from docflow_results.settings import ResultsSettings
from docflow_results.sqlite import SqliteRepository


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
        ("dynamodb://docflow-results/extra", "names only a table"),
        ("dynamodb://x", "3 to 255 letters"),
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
    url = ResultsSettings().store_url
    assert url.startswith("sqlite:////")
    assert url.endswith("/.docflow/docflow.db")


def test_the_store_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_STORE_URL", "sqlite:////var/lib/docflow/results.db")
    assert ResultsSettings().store_url == "sqlite:////var/lib/docflow/results.db"
