"""Pages from templates, with what every page shows: who is signed in, the CSRF token for its
forms, and the message the last action left."""

from typing import Any, Final

from jinja2 import Environment
from starlette.requests import Request

from docflow_ingest.web.session import CSRF_FIELD, TENANT, csrf_token

FLASH: Final = "flash"


def path_for(request: Request, name: str, **params: Any) -> str:
    """The path of the page's route ``name``, under wherever the page is mounted."""
    return str(request.scope.get("root_path", "")) + str(
        request.app.url_path_for(name, **{k: str(v) for k, v in params.items()})
    )


def flash(request: Request, message: str) -> None:
    """A message the next page shows once (the outcome of a decision)."""
    request.session[FLASH] = message


def render(request: Request, template: str, context: dict[str, Any]) -> str:
    environment: Environment = request.app.state.templates
    tenant = request.session.get(TENANT)
    common = {
        "tenant": tenant if isinstance(tenant, str) else None,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "flash": request.session.pop(FLASH, None),
        "path_for": lambda name, **params: path_for(request, name, **params),
    }
    return environment.get_template(template).render(common | context)
