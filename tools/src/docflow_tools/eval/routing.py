"""Where the pipeline sent documents, and how often review catches a wrong field.

Of the documents sent to review, the share with a wrong field is how much of the reviewers'
work is needed; of those stored without review, the share with one is what slips through.
A document a stage gave up on (``failed``) is neither stored nor reviewed.
"""

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, computed_field

from docflow_tools.eval.pipeline import Route


class Routing(BaseModel):
    model_config = ConfigDict(frozen=True)

    documents: int = 0
    stored: int = 0
    review: int = 0
    failed: int = 0
    stored_wrong: int = 0
    review_wrong: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def straight_through(self) -> float | None:
        """Stored without review, of all documents."""
        return _share(self.stored, self.documents)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def review_with_wrong_field(self) -> float | None:
        return _share(self.review_wrong, self.review)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def stored_with_wrong_field(self) -> float | None:
        return _share(self.stored_wrong, self.stored)


def routing(outcomes: Iterable[tuple[Route, bool]]) -> Routing:
    """Counts over ``(route, has a wrong field)`` pairs."""
    counts = {"documents": 0, "stored": 0, "review": 0, "failed": 0}
    wrong = {"stored": 0, "review": 0}
    for route, is_wrong in outcomes:
        counts["documents"] += 1
        counts[route] += 1
        if is_wrong and route in wrong:
            wrong[route] += 1
    return Routing(**counts, stored_wrong=wrong["stored"], review_wrong=wrong["review"])


def _share(part: int, whole: int) -> float | None:
    """None where there is nothing to take a share of (shown as a dash, not as 0%)."""
    return part / whole if whole else None
