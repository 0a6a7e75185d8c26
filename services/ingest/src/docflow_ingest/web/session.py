"""Who is signed in to the review page, and the CSRF token of their session.

A reviewer signs in with their tenant's API key once; the session (a signed, HttpOnly cookie)
then holds the tenant, never the key. Every form that changes something carries the session's
CSRF token, compared in constant time.
"""

import hmac
import secrets
from http import HTTPStatus
from typing import Final

from starlette.requests import Request

from docflow_ingest.core.problems import ProblemError

TENANT: Final = "tenant"
CSRF: Final = "csrf"
CSRF_FIELD: Final = "csrf_token"


class SignInRequiredError(Exception):
    """No tenant in the session: the page sends the browser to sign in."""


class CsrfError(ProblemError):
    def __init__(self) -> None:
        super().__init__(
            HTTPStatus.FORBIDDEN,
            "csrf",
            "the form is stale or was not sent by this page: reload it",
        )


def csrf_token(request: Request) -> str:
    """The session's token, made on first use."""
    token = request.session.get(CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF] = token
    return token


def check_csrf(request: Request, presented: str | None) -> None:
    expected = request.session.get(CSRF)
    if not (isinstance(expected, str) and presented):
        raise CsrfError
    if not hmac.compare_digest(expected.encode(), presented.encode()):
        raise CsrfError


def signed_in_tenant(request: Request) -> str:
    tenant = request.session.get(TENANT)
    if not isinstance(tenant, str):
        raise SignInRequiredError
    return tenant


def sign_in(request: Request, tenant: str) -> None:
    """A fresh session for ``tenant``: nothing of the anonymous one (its token) carries over."""
    request.session.clear()
    request.session[TENANT] = tenant
    csrf_token(request)


def sign_out(request: Request) -> None:
    request.session.clear()
