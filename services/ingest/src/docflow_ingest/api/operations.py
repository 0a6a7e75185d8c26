"""Probes and metrics: ``/healthz`` (the process serves), ``/readyz`` (the store and a broker
answer), ``/metrics`` (Prometheus text). None of them needs an API key."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from docflow_ingest.api.deps import ServicesDep
from docflow_ingest.core.problems import problem_response

router = APIRouter(tags=["operations"])
#: A tenant name no key can have (tenants never contain a dot): the probe reads nothing real.
_PROBE_TENANT = ".readyz"


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "The store or the broker is unreachable"}})
def readyz(request: Request, services: ServicesDep) -> Response:
    broker_ok, broker = services.publisher.reachable(services.settings.readiness_timeout_seconds)
    store_ok, store = _store_check(services)
    if broker_ok and store_ok:
        return JSONResponse({"status": "ok", "store": store, "broker": broker})
    return problem_response(request, 503, f"store: {store}; broker: {broker}", slug="not-ready")


def _store_check(services: ServicesDep) -> tuple[bool, str]:
    try:
        services.repository.list_documents(_PROBE_TENANT, limit=1)
    except Exception as exc:  # whatever the store raises, it is not ready
        return False, f"{type(exc).__name__}: {exc}"
    return True, "the store answered"


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
