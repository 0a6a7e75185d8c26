"""Hostile and broken files of the newly read formats: each a permanent, explained failure."""

import io
import struct
import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.limits import ParserLimits
from docflow_runtime.errors import PermanentError
from docflow_testing.hostile import package_zip_bomb

from . import format_documents as docs

OCTET = "application/octet-stream"
SECRET = "TOP-SECRET-MARKER-7731"


def _rejection(backend: LocalBackend, content: bytes) -> str:
    with pytest.raises(DocumentRejectedError) as caught:
        backend.extract(ExtractionRequest(document_id="bad", media_type=OCTET, content=content))
    assert isinstance(caught.value, PermanentError)
    reason = caught.value.reason
    assert "object at 0x" not in reason
    assert "\n" not in reason
    return reason


@pytest.mark.parametrize(
    ("main_part", "mimetype", "kind"),
    [
        ("xl/workbook.xml", b"", "XLSX"),
        ("ppt/presentation.xml", b"", "PPTX"),
        ("content.xml", b"application/epub+zip", "EPUB"),
        ("content.xml", b"application/vnd.oasis.opendocument.text", "ODT"),
    ],
)
def test_zip_bombs_are_refused_before_parsing(
    backend: LocalBackend, main_part: str, mimetype: bytes, kind: str
) -> None:
    reason = _rejection(backend, package_zip_bomb(main_part, 300, mimetype=mimetype))
    assert reason.startswith(f"{kind} refused as a zip bomb: it declares ")
    assert "more than the limit of 268435456" in reason


def test_a_member_with_an_extreme_ratio_is_refused(backend: LocalBackend) -> None:
    reason = _rejection(backend, package_zip_bomb("xl/workbook.xml", 20))
    assert reason.startswith("XLSX refused as a zip bomb: member 'xl/workbook.xml' expands")


@pytest.mark.parametrize(
    "build", [docs.xlsx, docs.ods, docs.pptx, docs.odt, docs.epub_book], ids=lambda b: b.__name__
)
def test_truncated_packages(backend: LocalBackend, build: object) -> None:
    content = build()  # type: ignore[operator]
    reason = _rejection(backend, content[: len(content) // 2])
    assert reason == (
        "corrupt or truncated ZIP-based document: not a readable ZIP archive (BadZipFile)"
    )


@pytest.mark.parametrize(
    ("fmt", "name", "options"),
    [("BMP", "BMP", {}), ("GIF", "GIF", {}), ("WEBP", "WEBP", {"lossless": True})],
)
def test_truncated_images(
    backend: LocalBackend, fmt: str, name: str, options: dict[str, object]
) -> None:
    content = docs.image_bytes(docs.word_image("INVOICE 4711"), fmt, **options)
    reason = _rejection(backend, content[: len(content) // 2])
    assert reason.startswith(f"corrupt or truncated {name} image")


def test_truncated_heic(backend: LocalBackend) -> None:
    content = docs.image_bytes(docs.word_image("INVOICE 4711"), "HEIF")
    reason = _rejection(backend, content[: len(content) // 2])
    assert reason.startswith("corrupt or truncated HEIF image")


def test_a_bmp_claiming_fifty_thousand_pixels_square(backend: LocalBackend) -> None:
    info = struct.pack("<IiiHHIIiiII", 40, 50_000, 50_000, 1, 8, 0, 0, 2835, 2835, 0, 0)
    header = b"BM" + struct.pack("<IHHI", 14 + len(info) + 1024, 0, 0, 14 + len(info) + 1024)
    reason = _rejection(backend, header + info + bytes(1024))
    assert reason.startswith("BMP image refused as a decompression bomb")


def test_a_truncated_outlook_message(backend: LocalBackend) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    reason = _rejection(backend, ole + "__properties_version1.0".encode("utf-16-le"))
    assert reason.startswith(
        "cannot parse the document as application/vnd.ms-outlook: the parser raised"
    )


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def _replace_member(package: bytes, name: str, replace: "dict[bytes, bytes]") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == name:
                for old, new in replace.items():
                    assert old in data
                    data = data.replace(old, new, 1)
            target.writestr(item, data)
    return out.getvalue()


def _doctype(root: bytes, path: Path) -> bytes:
    return b'<!DOCTYPE %s [<!ENTITY xxe SYSTEM "file://%s">]>' % (root, str(path).encode())


def test_an_external_entity_in_an_odt_is_never_resolved(
    backend: LocalBackend, secret_file: Path
) -> None:
    content = _replace_member(
        docs.odt(),
        "content.xml",
        {
            b"<office:document-content": _doctype(b"office:document-content", secret_file)
            + b"<office:document-content",
            b"Acme Ltd": b"&xxe;",
        },
    )
    reason = _rejection(backend, content)
    assert SECRET not in reason
    assert reason.startswith("cannot parse the document as application/vnd.oasis.opendocument")


def test_an_external_entity_in_an_xlsx_is_never_resolved(
    backend: LocalBackend, secret_file: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "PLACEHOLDER"
    out = io.BytesIO()
    book.save(out)
    content = _replace_member(
        out.getvalue(),
        "xl/worksheets/sheet1.xml",
        {
            b"<worksheet": _doctype(b"worksheet", secret_file) + b"<worksheet",
            b'<c r="A1" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>': (
                b'<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>'
            ),
        },
    )
    # openpyxl parses through defusedxml: the DOCTYPE with an entity stops the parse.
    reason = _rejection(backend, content)
    assert SECRET not in reason
    assert reason == f"cannot parse the document as {docs.XLSX}: the parser raised ValueError"


def test_a_huge_sheet_is_refused_not_expanded(backend: LocalBackend) -> None:
    # One cell repeated a billion times: the repeat is counted, never materialised.
    row = (
        b'<table:table-row><table:table-cell table:number-columns-repeated="1000000000" '
        b'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    )
    content = _replace_member(
        docs.ods(), "content.xml", {b"<table:table-row>": row + b"<table:table-row>"}
    )
    reason = _rejection(backend, content)
    assert reason == "ODS refused: it has more than 2000000 cells (DOCFLOW_EXTRACT_MAX_CELLS)"


def test_a_sheet_past_the_cell_limit_is_refused() -> None:
    # A real, filled sheet past the cell limit of a backend configured for 1000 cells.
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("big")
    for row in range(40):
        sheet.append([f"r{row}c{column}" for column in range(40)])
    out = io.BytesIO()
    book.save(out)
    small = LocalBackend(ParserLimits(max_cells=1000), pool_size=1, timeout_seconds=60)
    try:
        reason = _rejection(small, out.getvalue())
    finally:
        small.close()
    assert reason == "XLSX refused: it has more than 1000 cells (DOCFLOW_EXTRACT_MAX_CELLS)"
