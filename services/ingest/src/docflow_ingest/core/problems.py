"""Errors as RFC 9457 problem details (``application/problem+json``).

Every 4xx/5xx the service answers goes through here: the API's own errors (raised as
:class:`ProblemError`), request validation, unknown routes and unexpected failures.
"""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from docflow_runtime.logging import get_logger

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:docflow:problem:"

log = get_logger(__name__)


class Problem(BaseModel):
    """The RFC 9457 members the API uses, plus ``errors`` for validation failures."""

    type: str = Field(description="A URI naming the kind of problem; about:blank for plain HTTP")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The path of the request that failed")
    errors: list[dict[str, Any]] | None = None


class ProblemError(Exception):
    """An error the caller can act on; ``slug`` names its type."""

    def __init__(
        self,
        status: HTTPStatus,
        slug: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = dict(headers or {})


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    problem = Problem(
        type=TYPE_PREFIX + slug if slug else "about:blank",
        title=phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    body = problem.model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(request, exc.status, exc.detail, slug=exc.slug, headers=exc.headers)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(request, exc.status_code, detail, headers=exc.headers)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # The offending input is left out: it may be document content or a secret.
    errors = [
        {"loc": [str(part) for part in e["loc"]], "msg": e["msg"], "type": e["type"]}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5])
    return problem_response(
        request, 422, detail or "invalid request", slug="validation", errors=errors
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", path=request.url.path, error_class=type(exc).__name__)
    return problem_response(request, 500, "an unexpected error occurred", slug="internal")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Exception, _on_unexpected)
