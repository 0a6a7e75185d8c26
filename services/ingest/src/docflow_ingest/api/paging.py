"""What the routes share: page limits, cursor errors, and the problem answers in OpenAPI."""

from http import HTTPStatus
from typing import Annotated, Any, Final

from fastapi import Query

from docflow_ingest.core.problems import PROBLEM_JSON, Problem, ProblemError

MAX_PAGE: Final = 200

LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page")]
CursorQuery = Annotated[
    str | None, Query(max_length=1024, description="next_cursor of the previous page")
]


class InvalidCursorError(ProblemError):
    def __init__(self) -> None:
        super().__init__(
            HTTPStatus.BAD_REQUEST, "invalid-cursor", "the cursor is not one this API handed out"
        )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problems a route answers (401 on every authenticated route)."""
    return {
        status: {"model": Problem, "content": {PROBLEM_JSON: {}}} for status in (401, *statuses)
    }
