"""What only the SQLite store does: the file, its schema version, its connections."""

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from docflow_results.models import DocumentStatus, ListOrder
from docflow_results.repository import DocumentNotFoundError
from docflow_results.sqlite import RepositoryClosedError, SqliteRepository
from docflow_results.sqlite_schema import MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError
from docflow_testing.results import new_document


def test_a_new_file_gets_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    SqliteRepository(tmp_path / "docflow.db").close()
    with sqlite3.connect(tmp_path / "docflow.db") as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "events", "webhook_deliveries"} <= tables


def test_reopening_keeps_the_documents(tmp_path: Path) -> None:
    first = SqliteRepository(tmp_path / "docflow.db")
    created, _ = first.create(new_document())
    first.close()
    again = SqliteRepository(tmp_path / "docflow.db")
    try:
        assert again.get("acme", created.id) == created
    finally:
        again.close()


def test_a_database_from_a_newer_docflow_is_not_touched(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "docflow.db") as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNewError, match="upgrade docflow"):
        SqliteRepository(tmp_path / "docflow.db")


def test_a_closed_repository_says_so(tmp_path: Path) -> None:
    repo = SqliteRepository(tmp_path / "docflow.db")
    repo.close()
    with pytest.raises(RepositoryClosedError):
        repo.get("acme", "doc-1")


def test_a_failed_write_leaves_nothing_behind(repository: SqliteRepository) -> None:
    with pytest.raises(DocumentNotFoundError):
        repository.save_result("acme", "missing", {"summary": "x"})
    created, _ = repository.create(new_document())
    assert repository.get("acme", created.id) == created


def test_a_database_of_the_first_schema_is_migrated_with_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "docflow.db"
    with sqlite3.connect(path) as raw:
        for statement in MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute("PRAGMA user_version = 1")
        raw.execute(
            "INSERT INTO documents (id, tenant, status, filename, media_type, content,"
            " content_sha256, metadata, created_us, updated_us) VALUES ('old', 'acme', 'stored',"
            " NULL, 'text/plain', ?, ?, '{}', 0, 0)",
            ('{"url": "file:///b", "sha256": "' + "a" * 64 + '", "size": 1}', "a" * 64),
        )
    repository = SqliteRepository(path)
    try:
        old = repository.get("acme", "old")
        assert old is not None
        assert (old.status, old.run, old.decision) == ("stored", 1, None)
        reset = repository.reset_for_reprocess("acme", "old", old.updated_at, run=2)
        assert reset.run == 2
    finally:
        repository.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_a_listing_by_status_walks_its_index_in_either_order(
    repository: SqliteRepository, monkeypatch: pytest.MonkeyPatch, order: ListOrder
) -> None:
    for _ in range(3):
        repository.create(new_document())
    cursor = repository.list_documents("acme", limit=1, order=order).next_cursor
    asked: list[tuple[str, tuple[Any, ...]]] = []
    rows = repository._rows

    def recorded(sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
        asked.append((sql, params))
        return rows(sql, params)

    monkeypatch.setattr(repository, "_rows", recorded)
    repository.list_documents("acme", status=DocumentStatus.RECEIVED, cursor=cursor, order=order)
    [(sql, params)] = asked
    with sqlite3.connect(repository.path) as raw:
        plan = " | ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    # The cursor's position is where the index is entered, not a filter over what precedes it.
    assert "USING INDEX documents_tenant_status_created" in plan, plan
    assert "(created_us,id)" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
