"""The sniffing table, on real files and files the tests build, through the API and alone."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from docflow_ingest.core.problems import ProblemError
from docflow_ingest.core.sniff import DOCX, HTML, JPEG, PDF, PNG, TEXT, TIFF, Sniffer
from docflow_testing.samples import sample

from .helpers import auth, blob_files, docx_bytes

ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200)


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format=fmt)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes/readme.txt", "hello")
    return out.getvalue()


def sniff(content: bytes, chunk: int = 7) -> str:
    sniffer = Sniffer()
    for start in range(0, len(content), chunk):
        sniffer.feed(content[start : start + chunk])
    return sniffer.media_type()


ACCEPTED = [
    ("nda.pdf", sample("kleister-nda/0564e5bce70dd2df5473d64da16ddbe3.pdf").read_bytes, PDF),
    ("scan.png", sample("invoices/AmazonWebServices.png").read_bytes, PNG),
    ("photo.jpg", lambda: image("JPEG"), JPEG),
    ("scan.tif", lambda: image("TIFF"), TIFF),
    ("letter.docx", docx_bytes, DOCX),
    ("page.html", lambda: b"\xef\xbb\xbf  <!DOCTYPE html><html><body>Hi</body></html>", HTML),
    ("notes.txt", "Governing law: Zürich.\r\n\tTerm: 2 years.\n".encode, TEXT),
    ("mz.txt", lambda: b"MZ Holdings agrees to the terms.\n", TEXT),
]


@pytest.mark.parametrize(("filename", "build", "expected"), ACCEPTED)
def test_accepted_types(
    client: TestClient, filename: str, build: Callable[[], bytes], expected: str
) -> None:
    content = build()
    response = client.post(
        "/v1/documents",
        headers=auth("acme"),
        files={"file": (filename, content, "application/octet-stream")},
    )
    assert response.status_code == 202, response.text
    document = client.get(response.json()["status_url"], headers=auth("acme")).json()
    assert document["media_type"] == expected
    assert document["filename"] == filename


@pytest.mark.parametrize(
    ("content", "status", "detail"),
    [
        (ELF_HEADER, 415, "executables"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100), 415, "executables"),
        (b"#!/bin/sh\nrm -rf /\n", 415, "executables"),
        (plain_zip(), 415, "not a DOCX"),
        (bytes(range(256)) * 4, 415, "not a supported document type"),
        (b"", 400, "empty"),
    ],
)
def test_refused_types_leave_nothing(
    client: TestClient, tmp_path: Path, content: bytes, status: int, detail: str
) -> None:
    # Named and typed as a PDF: neither counts.
    response = client.post(
        "/v1/documents", headers=auth("acme"),
        files={"file": ("invoice.pdf", content, "application/pdf")},
    )  # fmt: skip
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]
    assert blob_files(tmp_path) == []
    assert client.get("/v1/documents", headers=auth("acme")).json()["items"] == []


def test_docx_found_whatever_the_chunk_boundaries() -> None:
    content = docx_bytes()
    assert {sniff(content, chunk) for chunk in (1, 3, 29, 4096)} == {DOCX}


def test_pdf_header_after_leading_junk() -> None:
    assert sniff(b"\x00\x00junk\n%PDF-1.7\n" + bytes(100)) == PDF


def test_text_must_be_utf8_throughout() -> None:
    with pytest.raises(ProblemError) as caught:
        sniff(b"plain start " * 200 + "caf\xe9".encode("latin-1"))
    assert caught.value.status == 415
    assert sniff("naïve café ".encode() * 50, chunk=5) == TEXT


def test_control_characters_are_not_text() -> None:
    with pytest.raises(ProblemError):
        sniff(b"looks like text\x00\x01\x02 but is not")
