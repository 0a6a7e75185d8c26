"""Shared fixtures of the store service's tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest

# Plain asserts in the shared contract suite then explain their failures like test asserts.
pytest.register_assert_rewrite("docflow_store.testing.contract")

from docflow_store.sqlite import SqliteRepository  # noqa: E402 - after the rewrite hook


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[SqliteRepository]:
    repo = SqliteRepository(tmp_path / "docflow.db")
    yield repo
    repo.close()
