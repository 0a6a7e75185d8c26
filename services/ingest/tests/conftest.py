"""Fixtures: the app on a real SQLite store and local blob store in tmp_path."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docflow_ingest.app import create_app
from docflow_ingest.settings import IngestSettings
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore
from docflow_testing.samples import sample

from .fakes import MemoryPublisher
from .helpers import make_settings


@pytest.fixture
def settings(tmp_path: Path) -> IngestSettings:
    return make_settings(tmp_path)


@pytest.fixture
def publisher() -> MemoryPublisher:
    return MemoryPublisher()


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def client(
    settings: IngestSettings,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> Iterator[TestClient]:
    app = create_app(settings, repository=repository, blobs=blobs, publisher=publisher)
    with TestClient(app, base_url="http://ingest.test") as test_client:
        yield test_client


@pytest.fixture
def pdf_bytes() -> bytes:
    return sample("kleister-nda/0564e5bce70dd2df5473d64da16ddbe3.pdf").read_bytes()
