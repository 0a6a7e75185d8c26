"""The repository contract, run against the SQLite store."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from docflow_results.repository import Repository
from docflow_results.sqlite import SqliteRepository
from docflow_testing.results_contract import RepositoryContract


class TestSqliteRepository(RepositoryContract):
    @pytest.fixture
    def repository(self, tmp_path: Path) -> Iterator[Repository]:
        repo = SqliteRepository(tmp_path / "docflow.db")
        yield repo
        repo.close()

    def open_again(self, repository: Repository) -> Repository:
        assert isinstance(repository, SqliteRepository)
        return SqliteRepository(repository.path)
