"""The review page: sign in, the queue, one document, its page images, and the decision."""

import math
from datetime import UTC, datetime
from typing import Annotated, Final

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from docflow_ingest.api.deps import ServicesDep, require_document, require_flowing
from docflow_ingest.core.auth import UnauthenticatedError
from docflow_ingest.core.intake import blocking
from docflow_ingest.core.review import AlreadyDecidedError, review_decided
from docflow_ingest.core.review_case import ReviewCase, open_case, page_image
from docflow_ingest.core.review_decision import decide
from docflow_ingest.core.review_queue import QueueFilter, first_waiting, review_queue
from docflow_ingest.web.forms import Decision, FormValueError, corrections, shown
from docflow_ingest.web.rendering import flash, path_for, render
from docflow_ingest.web.session import (
    CSRF_FIELD,
    check_csrf,
    sign_in,
    sign_out,
    signed_in_tenant,
)
from docflow_ingest.web.sign_in_limit import SignInLimit

router = APIRouter()
REVIEWER: Final = "reviewer"
#: The age filters the queue offers, in seconds.
AGES: Final = {"any age": 0, "over an hour": 3600, "over a day": 86400, "over a week": 604800}
_DECIDED: Final = {"approve": "Approved", "reject": "Rejected"}


def _see_other(request: Request, name: str, **params: str) -> RedirectResponse:
    return RedirectResponse(path_for(request, name, **params), status_code=303)


async def _form(request: Request) -> dict[str, str]:
    """The form's text fields, once its CSRF token is checked."""
    form = await request.form()
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    check_csrf(request, fields.get(CSRF_FIELD))
    return fields


@router.get("/sign-in", name="sign_in", response_class=HTMLResponse)
async def sign_in_page(request: Request) -> str:
    return render(request, "sign_in.html", {"error": None})


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in_submit(request: Request, services: ServicesDep) -> Response:
    """The key is posted, checked and forgotten: the session keeps only the tenant. An
    address that got it wrong too often is refused before its key is tested."""
    limit: SignInLimit = request.app.state.sign_in_limit
    address = request.client.host if request.client else None
    wait = limit.retry_after(address)
    if wait is not None:
        return _sign_in_refused(request, wait)
    form = await _form(request)
    try:
        tenant = services.authenticator.tenant_for(form.get("api_key", "").strip())
    except UnauthenticatedError:
        limit.failed(address)
        page = render(request, "sign_in.html", {"error": "That API key is not valid."})
        return HTMLResponse(page, status_code=401)
    sign_in(request, tenant)
    name = form.get("reviewer", "").strip()[:128]
    if name:
        request.session[REVIEWER] = name
    return _see_other(request, "queue")


def _sign_in_refused(request: Request, wait: int) -> HTMLResponse:
    minutes = math.ceil(wait / 60)
    error = (
        "Too many failed sign-ins from your address. Try again in "
        f"{minutes} minute{'' if minutes == 1 else 's'}."
    )
    page = render(request, "sign_in.html", {"error": error})
    return HTMLResponse(page, status_code=429, headers={"Retry-After": str(wait)})


@router.post("/sign-out")
async def sign_out_submit(request: Request) -> Response:
    await _form(request)
    sign_out(request)
    return _see_other(request, "sign_in")


@router.get("/", name="queue", response_class=HTMLResponse)
async def queue_page(
    request: Request,
    services: ServicesDep,
    document_type: Annotated[str, Query(alias="type", max_length=64)] = "",
    finding: Annotated[str, Query(max_length=128)] = "",
    older_than: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> str:
    tenant = signed_in_tenant(request)
    wanted = QueueFilter(
        document_type=document_type or None, finding=finding or None, older_than=older_than
    )
    queue = await blocking(review_queue, services.repository, tenant, wanted)
    now = datetime.now(UTC)
    return render(request, "queue.html", {
        "queue": queue, "wanted": wanted, "ages": AGES, "now": now, "waited": _waited,
    })  # fmt: skip


def _waited(since: datetime, now: datetime) -> str:
    """How long a document has waited, in the largest unit that fits."""
    seconds = max(0, int((now - since).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


@router.get("/documents/{document_id}", name="document", response_class=HTMLResponse)
async def document_page(request: Request, document_id: str, services: ServicesDep) -> str:
    tenant = signed_in_tenant(request)
    case = await _case(services, tenant, document_id)
    return await _document_page(request, services, tenant, case)


async def _case(services: ServicesDep, tenant: str, document_id: str) -> ReviewCase:
    document = await blocking(require_document, services.repository, tenant, document_id)
    max_bytes = services.settings.max_result_bytes
    return await blocking(open_case, services.blobs, document, max_result_bytes=max_bytes)


async def _document_page(
    request: Request,
    services: ServicesDep,
    tenant: str,
    case: ReviewCase,
    *,
    typed: dict[str, str] | None = None,
    error: str | None = None,
) -> str:
    typed = typed or {}
    following = await _next_waiting(services, tenant, case.id)
    values = {field.name: typed.get(f"field.{field.name}", shown(field)) for field in case.fields}
    # A field the reviewer changed stays in sight when the form comes back with a problem.
    unfolded = {field.name for field in case.fields if values[field.name] != shown(field)}
    return render(request, "document.html", {
        "case": case, "values": values, "unfolded": unfolded, "next_id": following,
        "error": error, "comment": typed.get("comment", ""),
    })  # fmt: skip


async def _next_waiting(services: ServicesDep, tenant: str, after: str) -> str | None:
    """The longest-waiting document other than ``after``."""
    return await blocking(first_waiting, services.repository, tenant, other_than=after)


@router.get("/documents/{document_id}/pages/{number}", name="page")
async def page_png(
    request: Request,
    document_id: str,
    number: Annotated[int, Path(ge=1, le=10_000)],
    services: ServicesDep,
) -> Response:
    tenant = signed_in_tenant(request)
    document = await blocking(require_document, services.repository, tenant, document_id)
    png = await blocking(
        page_image, services.blobs, document, number, width=services.settings.review_page_width,
        max_content_bytes=services.settings.max_upload_bytes,
    )  # fmt: skip
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.post("/documents/{document_id}/decision", name="decide", response_class=HTMLResponse)
async def decide_submit(request: Request, document_id: str, services: ServicesDep) -> Response:
    tenant = signed_in_tenant(request)
    form = await _form(request)
    require_flowing(services, tenant)
    document = await blocking(require_document, services.repository, tenant, document_id)
    case = await _case(services, tenant, document_id)
    try:
        decision = _decision(form, case)
    except (FormValueError, ValidationError) as exc:
        page = await _document_page(
            request, services, tenant, case, typed=form, error=_problem(exc)
        )
        return HTMLResponse(page, status_code=422)
    reviewer = request.session.get(REVIEWER) or tenant
    event = review_decided(
        document, decision=decision.action, reviewer=reviewer,
        corrections=decision.corrections, comment=decision.comment,
    )  # fmt: skip
    proposed = {field.name: field.value for field in case.fields}
    try:
        await decide(services.repository, services.intake, document, event, proposed)
    except AlreadyDecidedError:
        flash(request, f"{_label(case)} was decided by someone else first.")
        return _see_other(request, "queue")
    flash(request, _outcome(decision, case))
    return await _onwards(request, services, tenant, document_id)


def _decision(form: dict[str, str], case: ReviewCase) -> Decision:
    comment = form.get("comment", "").strip() or None
    action = form.get("action", "")
    changed = corrections(form, case.fields) if action == "approve" else {}
    return Decision(action=action, comment=comment, corrections=changed)


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return (
            "The decision is not complete: choose approve or reject (a comment is at most "
            "4000 characters)."
        )
    return str(exc)


def _label(case: ReviewCase) -> str:
    return case.filename or case.id


def _outcome(decision: Decision, case: ReviewCase) -> str:
    said = f"{_DECIDED[decision.action]} {_label(case)}"
    if decision.corrections:
        said += f" with {len(decision.corrections)} corrected field(s): "
        said += ", ".join(sorted(decision.corrections))
    return said + "."


async def _onwards(
    request: Request, services: ServicesDep, tenant: str, decided: str
) -> RedirectResponse:
    following = await _next_waiting(services, tenant, decided)
    if following is None:
        return _see_other(request, "queue")
    return _see_other(request, "document", document_id=following)
