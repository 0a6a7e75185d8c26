"""Probes and metrics: ``/healthz`` (the process serves), ``/readyz`` (new work can flow: the
pipeline is not halted, the store answers, events can be published), ``/metrics``
(Prometheus text). None of them needs an API key."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from docflow_ingest.api.deps import ServicesDep
from docflow_ingest.core.problems import problem_response
from docflow_runtime.logging import get_logger

router = APIRouter(tags=["operations"])
#: A tenant name no key can have (tenants never contain a dot): the probe reads nothing real.
_PROBE_TENANT = ".readyz"

log = get_logger(__name__)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={503: {"description": "The pipeline is halted, or the store or the broker fails"}},
)
def readyz(request: Request, services: ServicesDep) -> Response:
    timeout = services.settings.readiness_timeout_seconds
    checks = {
        "pipeline": _pipeline_check(services),
        "store": _store_check(services),
        "broker": services.publisher.readiness(timeout),
    }
    if all(ok for ok, _ in checks.values()):
        return JSONResponse({"status": "ok"} | {name: text for name, (_, text) in checks.items()})
    failing = "; ".join(f"{name}: {text}" for name, (ok, text) in checks.items() if not ok)
    return problem_response(request, 503, failing, slug="not-ready")


def _pipeline_check(services: ServicesDep) -> tuple[bool, str]:
    reason = services.halt.reason()
    return (True, "flowing") if reason is None else (False, f"halted ({reason})")


def _store_check(services: ServicesDep) -> tuple[bool, str]:
    try:
        services.repository.list_documents(_PROBE_TENANT, limit=1)
    except Exception as exc:  # whatever the store raises, it is not ready
        # Its message may name server paths: it goes to the log, the class to the answer.
        log.warning("the results store failed the readiness probe", error=str(exc))
        return False, f"the store did not answer ({type(exc).__name__})"
    return True, "the store answered"


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
