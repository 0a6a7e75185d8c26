"""The repository contract, run against the PostgreSQL store (a schema of each test's own)."""

from collections.abc import Iterator

import pytest

from docflow_results.postgres import PostgresRepository, migrate_url
from docflow_results.repository import Repository
from docflow_testing.results_contract import RepositoryContract


class TestPostgresRepository(RepositoryContract):
    @pytest.fixture
    def repository(self, postgres_schema_url: str) -> Iterator[Repository]:
        migrate_url(postgres_schema_url)
        repo = PostgresRepository(postgres_schema_url)
        self._url = postgres_schema_url
        yield repo
        repo.close()

    def open_again(self, repository: Repository) -> Repository:
        assert isinstance(repository, PostgresRepository)
        return PostgresRepository(self._url)
