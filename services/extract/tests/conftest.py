"""Shared fixtures: one warm parser pool for the session."""

from collections.abc import Iterator

import pytest

from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.limits import ParserLimits


@pytest.fixture(scope="session")
def backend() -> Iterator[LocalBackend]:
    local = LocalBackend(
        ParserLimits(), pool_size=2, timeout_seconds=60, max_documents_per_child=50
    )
    yield local
    local.close()
