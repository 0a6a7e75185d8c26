"""Shared fixtures of the enrich service's tests."""

from pathlib import Path

import pytest

_CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus beside the repository (real NDAs and invoices)."""
    if not (_CORPUS / "kleister-nda").is_dir():
        pytest.skip(f"the shared corpus is not at {_CORPUS}")
    return _CORPUS
