"""Shared fixtures: one warm parser pool for the session, and the shared corpus."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.limits import ParserLimits

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def backend() -> Iterator[LocalBackend]:
    local = LocalBackend(
        ParserLimits(), pool_size=2, timeout_seconds=60, max_documents_per_child=50
    )
    yield local
    local.close()
