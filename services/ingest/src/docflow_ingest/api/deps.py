"""What route handlers get injected: the tenant of the request and the service's parts."""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from docflow_ingest.core.auth import ApiKeyAuthenticator
from docflow_ingest.core.halt import HaltSwitch
from docflow_ingest.core.intake import Intake
from docflow_ingest.core.problems import ProblemError
from docflow_ingest.core.publisher import Publisher
from docflow_ingest.settings import IngestSettings
from docflow_results.models import Document
from docflow_results.repository import Repository
from docflow_runtime.blobstore import BlobStore

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer <key>`")


@dataclass(frozen=True)
class Services:
    """Everything a request may use, built once by the app factory."""

    settings: IngestSettings
    repository: Repository
    blobs: BlobStore
    publisher: Publisher
    authenticator: ApiKeyAuthenticator
    intake: Intake
    halt: HaltSwitch


class DocumentNotFoundError(ProblemError):
    def __init__(self) -> None:
        super().__init__(HTTPStatus.NOT_FOUND, "not-found", "no such document")


class PipelineHaltedError(ProblemError):
    def __init__(self, reason: str, retry_after: int) -> None:
        super().__init__(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "pipeline-halted",
            f"the pipeline is halted ({reason}); no new work is accepted until it runs again",
            headers={"Retry-After": str(retry_after)},
        )


def get_services(request: Request) -> Services:
    return cast(Services, request.app.state.services)


ServicesDep = Annotated[Services, Depends(get_services)]


def get_tenant(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    return services.authenticator.tenant_for(credentials.credentials if credentials else None)


def get_settings(services: ServicesDep) -> IngestSettings:
    return services.settings


def get_repository(services: ServicesDep) -> Repository:
    return services.repository


def get_blobs(services: ServicesDep) -> BlobStore:
    return services.blobs


def get_intake(services: ServicesDep) -> Intake:
    return services.intake


TenantDep = Annotated[str, Depends(get_tenant)]
SettingsDep = Annotated[IngestSettings, Depends(get_settings)]
RepositoryDep = Annotated[Repository, Depends(get_repository)]
BlobStoreDep = Annotated[BlobStore, Depends(get_blobs)]
IntakeDep = Annotated[Intake, Depends(get_intake)]


def require_flowing(services: ServicesDep, _tenant: TenantDep) -> None:
    """Refuse new work while the pipeline is halted. The tenant is asked for first: a caller
    without a key learns nothing about the pipeline."""
    reason = services.halt.reason()
    if reason is not None:
        raise PipelineHaltedError(reason, services.settings.retry_after_seconds)


def require_document(repository: Repository, tenant: str, document_id: str) -> Document:
    """The tenant's document; another tenant's is as absent as one that never existed."""
    document = repository.get(tenant, document_id)
    if document is None:
        raise DocumentNotFoundError
    return document


def status_url(request: Request, settings: IngestSettings, document_id: str) -> str:
    base = str(settings.public_base_url or request.base_url).rstrip("/")
    return f"{base}/v1/documents/{document_id}"
