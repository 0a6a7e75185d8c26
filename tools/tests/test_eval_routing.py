"""How often review catches a wrong field: the arithmetic on hand-made outcomes."""

import pytest

from docflow_tools.eval.pipeline import Route
from docflow_tools.eval.routing import routing


def test_shares_of_review_and_of_stored_documents_with_a_wrong_field() -> None:
    outcomes: list[tuple[Route, bool]] = [
        ("stored", False), ("stored", False), ("stored", True), ("stored", False),
        ("review", True), ("review", True), ("review", False),
        ("failed", True),
    ]  # fmt: skip
    counted = routing(outcomes)
    assert (counted.documents, counted.stored, counted.review, counted.failed) == (8, 4, 3, 1)
    assert (counted.stored_wrong, counted.review_wrong) == (1, 2)
    assert counted.straight_through == pytest.approx(4 / 8)
    assert counted.review_with_wrong_field == pytest.approx(2 / 3)
    assert counted.stored_with_wrong_field == pytest.approx(1 / 4)


def test_no_share_is_given_of_nothing() -> None:
    counted = routing([("stored", True)])
    assert counted.review_with_wrong_field is None
    assert counted.stored_with_wrong_field == 1.0
    assert routing([]).straight_through is None


def test_shares_are_written_with_the_counts() -> None:
    dumped = routing([("review", True), ("stored", False)]).model_dump()
    assert dumped["straight_through"] == 0.5
    assert dumped["review_with_wrong_field"] == 1.0
    assert dumped["stored_with_wrong_field"] == 0.0
