"""The review page's application, mounted under ``/review`` by the ingest app.

Server-rendered (Jinja2, autoescaped) with a little plain JavaScript for keyboard shortcuts
and highlighting: nothing to build. Its own session middleware and error pages keep the API's
bearer-token routes and problem+json answers as they are.
"""

import secrets
from typing import Final

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docflow_ingest.api.deps import Services
from docflow_ingest.core.problems import ProblemError
from docflow_ingest.web import routes
from docflow_ingest.web.rendering import path_for, render
from docflow_ingest.web.session import SignInRequiredError
from docflow_ingest.web.sign_in_limit import SignInLimit

SESSION_COOKIE: Final = "docflow_review"
#: The page loads only its own script, style and images, and is framed by nothing.
_HEADERS: Final = {
    b"content-security-policy": b"default-src 'self'; img-src 'self'; style-src 'self'; "
    b"script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
}


def review_app(services: Services, mount_path: str) -> FastAPI:
    settings = services.settings
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.services = services
    app.state.templates = Environment(
        loader=PackageLoader("docflow_ingest.web", "templates"), autoescape=True
    )
    app.state.sign_in_limit = SignInLimit(
        failures=settings.review_sign_in_failures,
        window_seconds=settings.review_sign_in_window_seconds,
        clients=settings.review_sign_in_clients,
    )
    secret = settings.review_session_secret
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret.get_secret_value() if secret else secrets.token_urlsafe(32),
        session_cookie=SESSION_COOKIE, max_age=settings.review_session_seconds,
        path=mount_path, same_site="lax", https_only=settings.review_cookie_secure,
    )  # fmt: skip
    app.add_middleware(_SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("docflow_ingest.web", "static")]), name="static")
    app.include_router(routes.router)
    app.add_exception_handler(SignInRequiredError, _to_sign_in)
    app.add_exception_handler(ProblemError, _problem_page)
    return app


async def _to_sign_in(request: Request, _exc: Exception) -> Response:
    return RedirectResponse(path_for(request, "sign_in"), status_code=303)


async def _problem_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    page = render(request, "problem.html", {"problem": exc})
    return HTMLResponse(page, status_code=exc.status, headers=exc.headers)


class _SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS.items()]
            await send(message)

        await self._app(scope, receive, send_with_headers)
