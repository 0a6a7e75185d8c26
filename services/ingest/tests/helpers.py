"""Helpers shared by the tests."""

import io
import re
from pathlib import Path
from typing import Any

import docx

from docflow_ingest.settings import IngestSettings
from docflow_results.models import Document
from docflow_results.repository import Repository

API_KEYS = "acme:key-acme-0123456789,globex:key-globex-0123456789"
LIMIT = 512 * 1024
#: What an error text must not show: object reprs, file urls, a Kafka error's repr.
INTERNALS = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>|file:|KafkaError\{|\w\('")


def auth(tenant: str) -> dict[str, str]:
    return {"Authorization": f"Bearer key-{tenant}-0123456789"}


def make_settings(tmp_path: Path, **overrides: Any) -> IngestSettings:
    values: dict[str, Any] = {
        "api_keys": API_KEYS,
        "blob_url": (tmp_path / "blobs").as_uri(),
        "store_url": f"sqlite:///{tmp_path / 'docflow.db'}",
        "max_upload_bytes": LIMIT,
        "publish_timeout_seconds": 2.0,
        "log_level": "WARNING",
    }
    return IngestSettings(**(values | overrides))


def stored(repository: Repository, document_id: str) -> Document:
    """acme's document as the results store has it now; it must be there."""
    document = repository.get("acme", document_id)
    assert document is not None
    return document


def assert_no_internals(text: str, tmp_path: Path) -> None:
    """``text`` shows neither Python internals nor a path of the test's own directory."""
    assert INTERNALS.search(text) is None, text
    assert str(tmp_path) not in text, text


def blob_files(tmp_path: Path) -> list[Path]:
    """Every file in the blob store, temporary ones included."""
    return sorted(p for p in (tmp_path / "blobs").rglob("*") if p.is_file())


def docx_bytes(text: str = "This agreement is made between Acme and Globex.") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
