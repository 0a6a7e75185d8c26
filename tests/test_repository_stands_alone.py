"""A clone of docflow works with nothing beside it: tests that try to read beside it fail."""

import os
from pathlib import Path

import pytest

from docflow_tools.corpus import EVALUATION_CORPUS as BESIDE

REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "read",
    [
        (BESIDE / "README.md").read_bytes,
        lambda: os.listdir(BESIDE),
        # What Path.glob calls when the folder exists; it must not quietly find nothing.
        lambda: os.scandir(BESIDE),
    ],
    ids=["open", "listdir", "scandir"],
)
def test_reading_beside_the_repository_fails_loudly(read: object) -> None:
    assert callable(read)
    with pytest.raises(RuntimeError, match="nothing beside it; use samples/"):
        read()


def test_the_samples_the_tests_read_ship_with_the_repository(samples: Path) -> None:
    assert samples.is_relative_to(REPOSITORY)
    assert len(list((samples / "kleister-nda").glob("*.pdf"))) == 13
    assert len(list((samples / "invoices").glob("*.json"))) == 7
