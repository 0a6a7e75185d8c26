"""Sniffing the formats added for documents people send: spreadsheets, slides, OpenDocument,
EPUB, RTF, e-mail, more images and Unicode text; and what must stay refused."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from docflow_ingest.core.problems import ProblemError
from docflow_ingest.core.sniff import (
    BMP,
    EML,
    EPUB,
    GIF,
    HEIC,
    HTML,
    MSG,
    ODS,
    ODT,
    PPTX,
    RTF,
    TEXT,
    WEBP,
    XLSX,
    Sniffer,
)

from .helpers import auth, blob_files

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
MSG_STREAM = "__properties_version1.0".encode("utf-16-le")
MAIL = (
    b"Received: from mx.example.com by mail.example.com; Tue, 5 Mar 2024 10:00:01 +0000\r\n"
    b"From: Alice <alice@example.com>\r\nTo: bob@example.com\r\n"
    b"Subject: =?utf-8?q?Contract?=\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nPlease sign.\r\n"
)
UTF16_TEXT = "Lieferant: Müller GmbH\nBetrag: 12,50 €\n"


def sniff(content: bytes, chunk: int = 7) -> str:
    sniffer = Sniffer()
    for start in range(0, len(content), chunk):
        sniffer.feed(content[start : start + chunk])
    return sniffer.media_type()


def office(main_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main_part, "<x/>")
    return out.getvalue()


def packaged(mimetype: str, *, container: bool = False) -> bytes:
    """An OpenDocument or EPUB: a stored ``mimetype`` entry first, as their standards ask."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        if container:
            archive.writestr("META-INF/container.xml", "<container/>")
        archive.writestr("content.xml", "<x/>" * 100)
    return out.getvalue()


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format=fmt)
    return out.getvalue()


def heif(brand: bytes, *compatible: bytes) -> bytes:
    body = brand + bytes(4) + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + bytes(64)


SNIFFED = [
    ("book.xlsx", lambda: office("xl/workbook.xml"), XLSX),
    ("deck.pptx", lambda: office("ppt/presentation.xml"), PPTX),
    ("letter.odt", lambda: packaged("application/vnd.oasis.opendocument.text"), ODT),
    ("sheet.ods", lambda: packaged("application/vnd.oasis.opendocument.spreadsheet"), ODS),
    ("novel.epub", lambda: packaged("application/epub+zip"), EPUB),
    ("bare.epub", lambda: packaged("", container=True), EPUB),
    ("scan.bmp", lambda: image("BMP"), BMP),
    ("scan.gif", lambda: image("GIF"), GIF),
    ("scan.webp", lambda: image("WEBP"), WEBP),
    ("photo.heic", lambda: heif(b"heic", b"mif1", b"heic"), HEIC),
    ("photo.heif", lambda: heif(b"mif1", b"mif1", b"heic"), HEIC),
    ("memo.rtf", lambda: rb"{\rtf1\ansi Total: 5\par}", RTF),
    ("mail.eml", lambda: MAIL, EML),
    ("old.eml", lambda: MAIL.replace(b"Please", "Grüße".encode("latin-1")), EML),
    ("outlook.msg", lambda: OLE_HEADER + bytes(3000) + MSG_STREAM + bytes(100), MSG),
    ("notes.txt", lambda: UTF16_TEXT.encode("utf-16"), "text/plain; charset=utf-16"),
    ("le.txt", lambda: UTF16_TEXT.encode("utf-16-le"), "text/plain; charset=utf-16le"),
    ("be.txt", lambda: UTF16_TEXT.encode("utf-16-be"), "text/plain; charset=utf-16be"),
    ("wide.txt", lambda: UTF16_TEXT.encode("utf-32"), "text/plain; charset=utf-32"),
    ("wide-le.txt", lambda: UTF16_TEXT.encode("utf-32-le"), "text/plain; charset=utf-32le"),
    (
        "page.xhtml",
        lambda: (
            b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD '
            b'XHTML 1.0 Strict//EN" "x">\n<html xmlns="http://www.w3.org/1999/xhtml"></html>'
        ),
        HTML,
    ),
    (
        "wide.html",
        lambda: "<!DOCTYPE html><html><body>Hi</body></html>".encode("utf-16"),
        "text/html; charset=utf-16",
    ),
    ("memo.txt", lambda: b"From: Legal\nTo: Sales\nSubject: Renewals\n\nCheck dates.\n", TEXT),
    ("bmw.txt", lambda: b"BMW agrees to deliver the cars by May.\n", TEXT),
]


@pytest.mark.parametrize(("filename", "build", "expected"), SNIFFED)
def test_sniffed_types(filename: str, build: Callable[[], bytes], expected: str) -> None:
    content = build()
    assert {sniff(content, chunk) for chunk in (1, 7, 4096)} == {expected}


@pytest.mark.parametrize(("filename", "build", "expected"), SNIFFED[::3])
def test_new_types_are_accepted_over_http(
    client: TestClient, filename: str, build: Callable[[], bytes], expected: str
) -> None:
    response = client.post(
        "/v1/documents",
        headers=auth("acme"),
        files={"file": (filename, build(), "application/octet-stream")},
    )
    assert response.status_code == 202, response.text
    document = client.get(response.json()["status_url"], headers=auth("acme")).json()
    assert document["media_type"] == expected


REFUSED = [
    (OLE_HEADER + bytes(3000) + "WordDocument".encode("utf-16-le"), "legacy Microsoft Office"),
    (office("docProps/app.xml"), "not a DOCX, XLSX, PPTX, ODT, ODS or EPUB"),
    (packaged("application/x-unknown"), "not a DOCX, XLSX, PPTX, ODT, ODS or EPUB"),
    (heif(b"avif", b"mif1", b"avif"), "not a supported document type"),
    ("text\x01with controls".encode("utf-16"), "not a supported document type"),
    (b"\x7fELF\x02\x01\x01\x00" + bytes(200), "executables"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100), "executables"),
    (b"#!/usr/bin/env python\nprint(1)\n", "executables"),
]


@pytest.mark.parametrize(("content", "detail"), REFUSED)
def test_refused_with_what_is_accepted(
    client: TestClient, tmp_path: Path, content: bytes, detail: str
) -> None:
    response = client.post(
        "/v1/documents",
        headers=auth("acme"),
        files={"file": ("invoice.xlsx", content, XLSX)},
    )
    assert response.status_code == 415
    problem = response.json()["detail"]
    assert detail in problem
    assert "XLSX, PPTX, ODT, ODS, EPUB, RTF; EML and MSG e-mail" in problem
    assert blob_files(tmp_path) == []


def test_utf16_must_decode_throughout() -> None:
    # An unpaired surrogate after a clean start: not UTF-16 text.
    content = "clean start ".encode("utf-16-le") * 100 + b"\x00\xd8A\x00"
    with pytest.raises(ProblemError) as caught:
        sniff(content)
    assert caught.value.status == 415
