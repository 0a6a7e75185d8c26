"""The FastAPI application: ``create_app(settings)`` wires the service's parts together.

Parts not passed in are built from the settings (results store from ``store_url``, blob
store from ``blob_url``, a Kafka producer from ``kafka``) and closed when the app stops;
parts passed in (tests pass their own) stay open: whoever made them closes them.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from docflow_ingest.api import documents, operations, review
from docflow_ingest.api.deps import Services
from docflow_ingest.core.auth import ApiKeyAuthenticator
from docflow_ingest.core.halt import HaltSwitch
from docflow_ingest.core.intake import Intake
from docflow_ingest.core.metrics import REVIEW_QUEUE
from docflow_ingest.core.problems import install_problem_handlers
from docflow_ingest.core.publisher import KafkaPublisher, Publisher
from docflow_ingest.settings import IngestSettings
from docflow_ingest.web.app import review_app
from docflow_results.factory import open_repository
from docflow_results.repository import Repository
from docflow_runtime.blobstore import BlobStore, blob_store_from_settings

#: Where the review page is served (a person's page beside the API).
REVIEW_PAGE = "/review"
DESCRIPTION = """Submit documents and fetch their results.

Uploads are answered at once with a handle (`202`); the document then flows through the
pipeline. Every error is an RFC 9457 problem (`application/problem+json`)."""


def create_app(
    settings: IngestSettings,
    *,
    repository: Repository | None = None,
    blobs: BlobStore | None = None,
    publisher: Publisher | None = None,
) -> FastAPI:
    services = _services(settings, repository, blobs, publisher)
    owned: list[Callable[[], None]] = []
    if publisher is None:
        owned.append(services.publisher.close)
    if repository is None:
        owned.append(services.repository.close)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        for close in owned:
            close()

    app = FastAPI(
        title="docflow ingest", version="1.0.0", description=DESCRIPTION, lifespan=lifespan
    )
    app.state.services = services
    REVIEW_QUEUE.watch(
        services.repository, (key.tenant for key in settings.api_keys),
        refresh_seconds=settings.review_metrics_refresh_seconds,
    )  # fmt: skip
    install_problem_handlers(app)
    app.include_router(documents.router)
    app.include_router(review.router)
    app.include_router(operations.router)
    app.mount(REVIEW_PAGE, review_app(services, REVIEW_PAGE), name="review_page")
    return app


def _services(
    settings: IngestSettings,
    repository: Repository | None,
    blobs: BlobStore | None,
    publisher: Publisher | None,
) -> Services:
    repository = repository or open_repository(settings)
    blobs = blobs or blob_store_from_settings(settings)
    publisher = publisher or KafkaPublisher(settings)
    intake = Intake(
        repository, blobs, publisher,
        publish_timeout=settings.publish_timeout_seconds,
        retry_after=settings.retry_after_seconds,
        stalled_after=timedelta(seconds=settings.stalled_after_seconds),
    )  # fmt: skip
    authenticator = ApiKeyAuthenticator(settings.api_keys)
    halt = HaltSwitch(settings.halt_file)
    return Services(settings, repository, blobs, publisher, authenticator, intake, halt)
